namespace CrosswalkWatch.Domain.Health;

/// <summary>
/// How the box's one detector keeps up with its judged cameras: the detection frames per second it achieves over all of
/// them against what they are configured for (the motion gate's keep-alive frames among them), and whether it is
/// overloaded (it lowers every camera's rate evenly). For the box's health at the central site.
/// </summary>
public sealed record DetectorLoad(int Cameras, double AchievedFps, double ConfiguredFps, bool Overloaded);
