using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Http;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// A console text made where no request is at hand (a health source, a scene file's save): its key and values, said
/// in the reader's language when an endpoint answers. A value that is itself an <see cref="OperatorText"/> is said
/// first (a reason inside a sentence).
/// </summary>
public sealed record OperatorText(string Key, params (string Name, object? Value)[] Values)
{
    /// <summary>The text in the language of <paramref name="context"/>'s reader.</summary>
    public string In(HttpContext context) =>
        context.T(Key, [.. Values.Select(v => (v.Name, v.Value is OperatorText inner ? inner.In(context) : v.Value))]);
}
