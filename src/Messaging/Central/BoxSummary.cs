using System.Text.Json;
using CrosswalkWatch.Domain.Health;

namespace CrosswalkWatch.Messaging.Central;

/// <summary>
/// One box as the central site last heard it: when, whether it is silent (nothing for messaging.silentSeconds), its
/// cameras' states, its evidence disk and the version of cww it runs. For <c>cww boxes</c> and the console's Boxes page.
/// </summary>
public sealed record BoxSummary(string SiteId, DateTimeOffset LastHeard, bool Silent, IReadOnlyList<(string Camera, string State)> Cameras)
{
    /// <summary>The evidence writer's state ("writing", "diskFull", "clockHeld"); null before the box's own health arrived.</summary>
    public string? EvidenceState { get; init; }

    public long? FreeBytes { get; init; }

    public string? Version { get; init; }

    /// <summary>The box's clock: "notChecked", "unknown", "ok", "off" (above clock.maxOffsetMs) or "holding"; null from boxes that do not send it.</summary>
    public string? ClockState { get; init; }

    /// <summary>The box's last clock offset, milliseconds (the servers' time minus the box's); null when not measured.</summary>
    public double? ClockOffsetMs { get; init; }

    /// <summary>The box's clock.maxOffsetMs: above it the offset is an error.</summary>
    public int? ClockMaxOffsetMs { get; init; }

    /// <summary>The clock is off by more than the box's limit.</summary>
    public bool ClockError => ClockState is "off" or "holding";

    public int Streaming => Cameras.Count(c => c.State == "Streaming");

    /// <summary>Candidates waiting for their package (being built, or waiting for their recording) and held (disk full, clock off); null from boxes that do not send it.</summary>
    public int? Backlog { get; init; }

    /// <summary>The box's detector load; null when the box judges no camera or does not send it.</summary>
    public DetectorLoad? Detector { get; init; }

    /// <summary>The cameras whose view check finds a fault ("moved", "blocked", "blurred", "exposure"), with why (in English, and as a phrase from boxes that send one).</summary>
    public IReadOnlyList<(string Camera, string View, string? Detail, Domain.Phrase? Text)> ViewFaults { get; init; } = [];

    public int Moved => ViewFaults.Count(f => f.View == "moved");

    public int Blocked => ViewFaults.Count(f => f.View == "blocked");

    /// <summary>Every box of <paramref name="rows"/> (the store's last health of each box and camera), by site.</summary>
    public static IReadOnlyList<BoxSummary> Of(IReadOnlyList<BoxHealthRow> rows, DateTimeOffset now, TimeSpan silentAfter)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.GroupBy(r => r.SiteId).Select(box =>
        {
            var heard = box.Max(r => r.ReceivedAt);
            var summary = new BoxSummary(box.Key, heard, now - heard > silentAfter, [.. box.Where(r => r.CameraId.Length > 0).Select(r => (r.CameraId, r.State))])
            {
                ViewFaults = [.. box.Where(r => r.CameraId.Length > 0).Select(ViewFault).OfType<(string, string, string?, Domain.Phrase?)>()],
            };
            if (box.FirstOrDefault(r => r.CameraId.Length == 0) is not { } own)
            {
                return summary;
            }

            try
            {
                using var json = JsonDocument.Parse(own.Payload);
                var body = json.RootElement.GetProperty("body");
                var evidence = body.GetProperty("evidence");
                var clock = body.TryGetProperty("clock", out var c) && c.ValueKind == JsonValueKind.Object ? c : (JsonElement?)null;
                return summary with
                {
                    ClockState = clock?.TryGetProperty("state", out var cs) == true ? cs.GetString() : null,
                    ClockOffsetMs = clock?.TryGetProperty("offsetMs", out var co) == true && co.ValueKind == JsonValueKind.Number && co.TryGetDouble(out var offset) ? offset : null,
                    ClockMaxOffsetMs = clock?.TryGetProperty("maxOffsetMs", out var cm) == true && cm.ValueKind == JsonValueKind.Number && cm.TryGetInt32(out var max) ? max : null,
                    EvidenceState = evidence.TryGetProperty("state", out var s) ? s.GetString() : null,
                    FreeBytes = evidence.TryGetProperty("freeBytes", out var f) && f.TryGetInt64(out var free) ? free : null,
                    Version = body.TryGetProperty("cwwVersion", out var v) ? v.GetString() : null,
                    Backlog = evidence.TryGetProperty("pending", out var p) && p.TryGetInt32(out var pending) ? pending + (evidence.TryGetProperty("held", out var h) && h.TryGetInt32(out var held) ? held : 0) : null,
                    Detector = body.TryGetProperty("detector", out var d) && d.ValueKind == JsonValueKind.Object
                        ? new DetectorLoad(d.GetProperty("cameras").GetInt32(), d.GetProperty("achievedFps").GetDouble(), d.GetProperty("configuredFps").GetDouble(), d.GetProperty("overloaded").GetBoolean())
                        : null,
                };
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return summary; // kept as received; what cannot be read is left out
            }
        })];
    }

    /// <summary>A camera's view fault from its health message; null when it has none, is not checked or cannot be read.</summary>
    private static (string Camera, string View, string? Detail, Domain.Phrase? Text)? ViewFault(BoxHealthRow row)
    {
        try
        {
            using var json = JsonDocument.Parse(row.Payload);
            var body = json.RootElement.GetProperty("body");
            if (!body.TryGetProperty("view", out var view) || view.GetString() is not { } state || state is "ok" or "learning")
            {
                return null;
            }

            return (
                row.CameraId,
                state,
                body.TryGetProperty("viewDetail", out var detail) ? detail.GetString() : null,
                body.TryGetProperty("viewPhrase", out var phrase) ? Domain.Phrase.FromJson(phrase.GetString()) : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
