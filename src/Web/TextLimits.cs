using System.Globalization;

namespace CrosswalkWatch.Web;

/// <summary>
/// How long free text a user types may be (notes and reasons), so one request cannot fill the audit log or the
/// pages with megabytes; longer text is refused with 400 and the reason, nothing stored.
/// </summary>
public static class TextLimits
{
    /// <summary>The most characters of a note (a rejection's note, and any note or reason typed into the console).</summary>
    public const int Note = Review.ReviewService.MaxText; // the review service refuses longer ones too

    /// <summary>Why <paramref name="text"/> is too long to keep as <paramref name="what"/>, or null.</summary>
    public static string? TooLong(string? text, string what = "a note") =>
        text is { Length: > Note }
            ? string.Create(CultureInfo.InvariantCulture, $"{what} is at most {Note} characters; this one has {text.Length}: shorten it, nothing was changed")
            : null;
}
