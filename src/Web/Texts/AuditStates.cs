using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CrosswalkWatch.Web.Texts;

/// <summary>
/// The audit log's states before and after a change, as the console's pages show them: JSON for the page to word
/// field by field (the text as kept where it is not JSON), with a withdrawn notice's reason — which the log keeps in
/// English — in the reader's language.
/// </summary>
internal static class AuditStates
{
    public static JsonNode? Of(HttpContext context, string action, string json)
    {
        JsonNode? state;
        try
        {
            state = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }

        if (action == "notice-withdrawn" && state is JsonObject notice && notice["reason"] is JsonValue reason && reason.TryGetValue<string>(out var english))
        {
            notice["reason"] = context.T(english, StoredEnglish.WithdrawnNotice);
        }

        return state;
    }
}
