using CrosswalkWatch.Core.Health;

namespace CrosswalkWatch.Web.Operators;

/// <summary>Where the operator's page reads camera health: the edge box in the same process, or what it last wrote.</summary>
public interface ICameraHealthSource
{
    /// <summary>The health of each camera as last known; empty when nothing is known.</summary>
    IReadOnlyList<CameraHealth> Health();
}

/// <summary>Health read live from a function (the edge box of this process).</summary>
public sealed class LiveCameraHealth(Func<IReadOnlyList<CameraHealth>> read) : ICameraHealthSource
{
    public IReadOnlyList<CameraHealth> Health() => read();
}
