using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrosswalkWatch.Storage;

/// <summary>
/// The JSON the store keeps in its columns (the audit log's before and after, a case's registry suggestions):
/// camelCase, Chinese names and plates written as they are (not \u-escaped) so that the database reads as it shows.
/// </summary>
public static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
