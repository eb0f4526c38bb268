using System.CommandLine;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>The <c>cww</c> command line: one subcommand per job, each defined beside its siblings in this folder.</summary>
internal static class CwwCommand
{
    /// <summary>
    /// How long a command may take to stop after SIGINT or SIGTERM before it is abandoned: the edge box's evidence
    /// finish, the packages of the vehicles still on the crosswalk when detection stops (each up to
    /// <see cref="Edge.EdgeBox.FinishTimeout"/>), then the cameras and the outbox's last delivery.
    /// </summary>
    public static readonly TimeSpan StopTimeout = (2 * Edge.EdgeBox.FinishTimeout) + TimeSpan.FromSeconds(60);

    public static RootCommand Create()
    {
        var root = new RootCommand(
            "CrosswalkWatch: finds vehicles that do not yield at zebra crossings, keeps the evidence, counts officials' violations.\n" +
            "Start with `cww demo`; see README.md for operators, traffic police and the campaign office.");
        root.Add(RunCommands.Demo());
        root.Add(RunCommands.Run());
        root.Add(ConfigCommands.Create());
        root.Add(CameraCommands.Simulator());
        root.Add(CameraCommands.Probe());
        root.Add(CameraCommands.Clip());
        root.Add(SceneCommands.Create());
        root.Add(ReplayCommand.Create());
        root.Add(EvidenceCommands.Create());
        root.Add(ExportCommand.Create());
        root.Add(PushCommand.Create());
        root.Add(StatsCommand.Create());
        root.Add(BoxesCommand.Create());
        root.Add(SitesCommands.Create());
        root.Add(EvalCommand.Create());
        root.Add(ModelCommands.Create());
        root.Add(Measure.BenchCommands.Create(Logging.Create));
        root.Add(ScenarioCommands.Create());
        root.Add(PlateCommands.Create());
        root.Add(RegistryCommands.Create());
        root.Add(CentralCommand.Create());
        root.Add(BrokerCommands.Create());
        root.Add(ReviewCommands.Review());
        root.Add(ReviewCommands.Tally());
        root.Add(ReviewCommands.Notices());
        root.Add(ReviewCommands.Retention());
        root.Add(ServeCommands.Serve());
        root.Add(ServeCommands.Accounts());
        return root;
    }
}
