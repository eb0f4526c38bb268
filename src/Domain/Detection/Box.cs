using System.Text.Json.Serialization;

namespace CrosswalkWatch.Domain.Detection;

/// <summary>
/// An axis-aligned box in normalised image coordinates (0–1 of the frame's width and height, origin top-left),
/// the same coordinates as the scene geometry, whatever the frame's resolution.
/// </summary>
public readonly record struct Box(float X1, float Y1, float X2, float Y2)
{
    [JsonIgnore]
    public float Width => X2 - X1;

    [JsonIgnore]
    public float Height => Y2 - Y1;

    [JsonIgnore]
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    [JsonIgnore]
    public float CenterX => (X1 + X2) / 2;

    [JsonIgnore]
    public float CenterY => (Y1 + Y2) / 2;

    /// <summary>Whether the box lies inside the picture, not cut by one of its edges (kept half a percent clear of them).</summary>
    [JsonIgnore]
    public bool Whole => X1 > 0.005f && Y1 > 0.005f && X2 < 0.995f && Y2 < 0.995f;

    /// <summary>Where an object touches the ground: the middle of its bottom edge (the zone anchor).</summary>
    [JsonIgnore]
    public (float X, float Y) BottomCenter => ((X1 + X2) / 2, Y2);

    public static Box FromCenter(float cx, float cy, float width, float height) =>
        new(cx - (width / 2), cy - (height / 2), cx + (width / 2), cy + (height / 2));

    /// <summary>The area this box shares with <paramref name="other"/>; 0 when they do not overlap.</summary>
    public float Intersection(Box other)
    {
        var w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        var h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /// <summary>Intersection over union; 0 for boxes that do not overlap or have no area.</summary>
    public float IoU(Box other)
    {
        var intersection = Intersection(other);
        if (intersection <= 0)
        {
            return 0;
        }

        var union = Area + other.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
