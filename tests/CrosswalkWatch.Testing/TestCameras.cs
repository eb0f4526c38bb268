using CrosswalkWatch.CameraSim;

namespace CrosswalkWatch.Testing;

/// <summary>Real cameras for tests: the camera simulator serving the real footage on a free port of 127.0.0.1.</summary>
internal static class TestCameras
{
    /// <summary>Serves the footage as <c>cam1</c> (main stream and <c>/cam1/sub</c>) at 25 fps.</summary>
    public static Task<CameraSimulator> StartSimulatorAsync() =>
        CameraSimulator.StartAsync(new SimulatorOptions
        {
            Cameras = [("cam1", TestAssets.CrosswalkFootage)],
            Port = CameraSimulator.FreePort(),
            Fps = 25,
        });
}
