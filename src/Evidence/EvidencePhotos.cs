using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Domain.Violations;

namespace CrosswalkWatch.Evidence;

/// <summary>
/// A package's three scene photos: their fixed file names, and what each shows, as burned into the photo and given
/// beside it wherever it is shown. A vehicle through its stop line is photographed before the line, on it and leaving
/// the crosswalk; a turning vehicle (<see cref="ViolationCandidate.Movement"/>) came from the side, so its first photo
/// is its last moment in the movement's entry region, before the crosswalk, and its second it entering the crosswalk.
/// The file names keep the stop-line wording for both.
/// </summary>
public static class EvidencePhotos
{
    public const string BeforeLine = "photo1-before-line.jpg";
    public const string OnLine = "photo2-on-line.jpg";
    public const string Leaving = "photo3-leaving.jpg";

    /// <summary>The three, in the order they were taken.</summary>
    public static IReadOnlyList<string> Names { get; } = [BeforeLine, OnLine, Leaving];

    /// <summary>
    /// What the photo <paramref name="name"/> (one of <see cref="Names"/>) shows of a vehicle through its stop line, or
    /// of one that made <paramref name="movement"/> ("1/3 pedestrian on the crosswalk, vehicle turning left before the crosswalk").
    /// </summary>
    public static string Caption(string name, TurnMovement? movement) => name switch
    {
        BeforeLine => movement is { } turn
            ? $"1/3 pedestrian on the crosswalk, vehicle {turn.Turn.Text()} before the crosswalk"
            : "1/3 pedestrian on the crosswalk, vehicle before the stop line",
        OnLine => movement is null ? "2/3 vehicle on the stop line / crosswalk" : "2/3 vehicle entering the crosswalk",
        Leaving => "3/3 vehicle leaving the crosswalk",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"not a scene photo of a package (one of {string.Join(", ", Names)})"),
    };
}
