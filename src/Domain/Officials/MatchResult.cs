
namespace CrosswalkWatch.Domain.Officials;

/// <summary>A character of the read that differs from the registered plate: 0-based position in the registered plate, what was read (<c>?</c> when nothing was), what is registered.</summary>
public readonly record struct Doubt(int Position, char Read, char Registered)
{
    /// <summary>The doubt as a phrase the console words in its reader's language.</summary>
    public Phrase Text => Read == '?'
        ? Phrase.Of("match.doubtUnread", "position {position} not read, registered {registered}", ("position", Position + 1), ("registered", Registered))
        : Phrase.Of("match.doubt", "position {position} read {read}, registered {registered}", ("position", Position + 1), ("read", Read), ("registered", Registered));

    /// <summary>The doubt as a case's suggestions keep it: <c>3:8→B</c> (1-based position, read, registered).</summary>
    public override string ToString() => $"{Position + 1}:{Read}→{Registered}";

    /// <summary>The doubt <paramref name="text"/> holds as <see cref="ToString"/> writes it, or null when it holds none.</summary>
    public static Doubt? Parse(string text) =>
        text is [.. var position, ':', var read, '→', var registered] && int.TryParse(position, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at) && at > 0
            ? new Doubt(at - 1, read, registered)
            : null;
}

/// <summary>An official and the vehicle entry valid on the violation's date; <see cref="Score"/> 1 for an exact match.</summary>
public sealed record MatchCandidate(Official Official, RegisteredVehicle Vehicle, double Score, IReadOnlyList<Doubt> Doubts);

public enum MatchKind
{
    /// <summary>No official's vehicle, exact or close: the plate stays with the police.</summary>
    None,

    /// <summary>The normalised read is a registered plate valid on the date.</summary>
    Exact,

    /// <summary>Only confusion-aware candidates: suggestions for the reviewer, never counted as they are.</summary>
    Suggested,
}

/// <summary>
/// What the registry says about one plate read on one date. Only <see cref="Exact"/> names an accountable official;
/// suggestions count only after a reviewer confirms (or corrects) the plate and it is matched again exactly.
/// </summary>
public sealed record MatchResult(string Read, DateOnly Date, MatchKind Kind, MatchCandidate? Exact, IReadOnlyList<MatchCandidate> Suggestions)
{
    /// <summary>The official a confirmed violation counts against; null unless the match is exact.</summary>
    public Official? AccountableOfficial => Exact?.Official;

    /// <summary>
    /// The plate as the campaign office may see it: only a plate that is an official's vehicle on that date. A plate
    /// that matches no official (an ordinary citizen's) or is only a suggestion never leaves the police side.
    /// </summary>
    public string? PlateForOffice => Exact?.Vehicle.Plate;
}
