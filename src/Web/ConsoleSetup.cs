using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Operators;

namespace CrosswalkWatch.Web;

/// <summary>What the console serves: the configuration (and its file, where operators save scenes), the review desk, the accounts and the cameras' health.</summary>
public sealed class ConsoleSetup
{
    public required CwwConfig Config { get; init; }

    /// <summary>The configuration file, when there is one: scene files are found relative to it.</summary>
    public string? ConfigPath { get; init; }

    public required ReviewDesk Desk { get; init; }

    public required ConsoleStore Console { get; init; }

    public ICameraHealthSource? CameraHealth { get; init; }

    /// <summary>Replays a stored clip through the detector, tracker and yield rule (operators try thresholds); null: no replay in this console.</summary>
    public IClipReplay? Replay { get; init; }

    /// <summary>Overrides <see cref="WebConfig.Bind"/> (e.g. http://127.0.0.1:0 for a free port).</summary>
    public string? Bind { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
