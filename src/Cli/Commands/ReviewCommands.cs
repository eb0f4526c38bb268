using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrosswalkWatch.Domain.Cases;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Evidence;
using CrosswalkWatch.Review;
using CrosswalkWatch.Storage.Review;

namespace CrosswalkWatch.Cli.Commands;

/// <summary>
/// The traffic police's and the campaign office's commands: <c>cww review list|show|confirm|reject|correct</c>,
/// <c>cww tally</c>, <c>cww notices</c>, <c>cww retention run</c>. Each finds its store like <c>cww registry</c>:
/// <c>--config</c>, or <c>--data DIR</c>, or the repository's <c>var/</c>.
/// </summary>
internal static class ReviewCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Review()
    {
        var command = new Command("review", "Review violation candidates: list, show, confirm, reject (with a reason), correct the plate, or reopen on an objection; every decision goes into the audit log.");
        command.Add(List());
        command.Add(Show());
        command.Add(Confirm());
        command.Add(Reject());
        command.Add(Correct());
        command.Add(Reopen());
        return command;
    }

    public static Command Tally()
    {
        var window = new Option<string?>("--window") { Description = "calendar or rolling365 (default: the configuration's tally.window, calendar without one)." };
        window.AcceptOnlyFromAmong("calendar", "rolling365");
        var year = new Option<int?>("--year") { Description = "Calendar window: the year (site time zone; default: this year)." };
        var at = new Option<string?>("--at") { Description = "Rolling window: its last day, yyyy-MM-dd (site time zone; default: today); it counts the 365 days ending with it." };
        var department = new Option<string?>("--department") { Description = "Only this department." };
        var format = FormatOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("tally", "Confirmed violations per official and per department in the configured window (tally.window), or the one --window names; tally.threshold (3 by default) and over is flagged 'notice', one fewer 'one away'.")
        {
            window, year, at, department, format, config, data,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(at) is { } day && !DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                result.AddError($"--at: '{day}' is not a date as yyyy-MM-dd");
            }

            if (result.GetValue(window) is { } w && (w, result.GetValue(year), result.GetValue(at)) is ("rolling365", not null, _) or ("calendar", _, not null))
            {
                result.AddError(w == "calendar" ? "--at is for the rolling window (--window rolling365); the calendar window takes --year" : "--year is for the calendar window; the rolling window takes --at (its last day)");
            }
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var context = await Context.OpenAsync(result, config, data, cancellationToken).ConfigureAwait(false);
            TallyWindow? kind = result.GetValue(window) switch
            {
                "calendar" => TallyWindow.Calendar,
                "rolling365" => TallyWindow.Rolling365,
                _ => null,
            };
            var period = context.Period(kind, result.GetValue(year), result.GetValue(at) is { } last ? DateOnly.ParseExact(last, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
            var report = await context.TallyAsync(period, result.GetValue(department), cancellationToken).ConfigureAwait(false);
            var (flagged, departments, described) = (report.Officials, report.Departments, report.Described);
            switch (result.GetValue(format))
            {
                case "json":
                    Console.WriteLine(JsonSerializer.Serialize(
                        new
                        {
                            Window = new { Kind = period.Window == TallyWindow.Calendar ? "calendar" : "rolling365", period.Label, period.From, period.Until, Described = described, TimeZone = context.Zone.Id },
                            Officials = flagged,
                            Departments = departments,
                        },
                        Json));
                    break;
                case "csv":
                    Console.WriteLine("official_id,name,department,authority,window,count,flag");
                    foreach (var r in flagged)
                    {
                        Console.WriteLine(string.Join(',', new object[] { r.OfficialId, r.Name, r.Department, r.Authority, r.Window, r.Count, r.Flag }.Select(v => CsvField(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""))));
                    }

                    break;
                default:
                    Console.WriteLine($"window: {described}");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"official",-10} {"name",-8} {"department",-20} {"authority",-12} {"count",6}  flag"));
                    foreach (var r in flagged)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.OfficialId,-10} {r.Name,-8} {r.Department,-20} {r.Authority,-12} {r.Count,6}  {r.Flag}"));
                    }

                    Console.WriteLine();
                    Console.WriteLine("department totals:");
                    foreach (var d in departments)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {d.Department,-20} {d.Violations,6} violations, {d.Officials} official(s), {d.AtThreshold} at {context.Rules.Threshold} or more"));
                    }

                    break;
            }

            return 0;
        });
        return command;
    }

    public static Command Notices()
    {
        var format = FormatOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("notices", "Every accountability notice (an official's confirmed violation in the window that reaches tally.threshold, 3 by default, and each one after), oldest first.") { format, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var context = await Context.OpenAsync(result, config, data, cancellationToken).ConfigureAwait(false);
            var rows = await context.NoticesAsync(cancellationToken).ConfigureAwait(false);
            switch (result.GetValue(format))
            {
                case "json":
                    Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new { r.Notice.OfficialId, r.Official?.Name, r.Official?.Department, r.Official?.Authority, r.Notice.Window, r.Notice.Ordinal, r.Notice.CaseId, r.Notice.ReachedAt, r.Notice.CreatedAt, r.Notice.Issue, r.Notice.WithdrawnAt, r.Notice.WithdrawnReason }), Json));
                    break;
                case "csv":
                    Console.WriteLine("official_id,name,department,authority,window,ordinal,case_id,created_at,withdrawn_at,withdrawn_reason");
                    foreach (var (n, o) in rows)
                    {
                        Console.WriteLine(string.Join(',', new[] { n.OfficialId, o?.Name ?? "", o?.Department ?? "", o?.Authority ?? "", n.Window, n.Ordinal.ToString(CultureInfo.InvariantCulture), n.CaseId, n.CreatedAt.ToString("O", CultureInfo.InvariantCulture), n.WithdrawnAt?.ToString("O", CultureInfo.InvariantCulture) ?? "", n.WithdrawnReason ?? "" }.Select(CsvField)));
                    }

                    break;
                default:
                    if (rows.Count == 0)
                    {
                        Console.WriteLine("no notice yet");
                    }

                    foreach (var (n, o) in rows)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n.CreatedAt:yyyy-MM-dd HH:mm}Z  {n.OfficialId} {o?.Name} ({o?.Department}, to {o?.Authority}): violation no. {n.Ordinal} in {n.Window}, reached by case {n.CaseId}{(n.WithdrawnAt is { } w ? $"; WITHDRAWN {w:yyyy-MM-dd HH:mm}Z: {n.WithdrawnReason}" : "")}"));
                    }

                    break;
            }

            return 0;
        });
        return command;
    }

    public static Command Retention()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say what would be deleted." };
        var (config, data) = RegistryCommands.WhereOptions();
        var run = new Command("run", "Delete the evidence of cases that match no official and are not confirmed, once older than retention.unmatchedEvidenceDays.") { dryRun, config, data };
        run.SetAction(async (result, cancellationToken) =>
        {
            await using var context = await Context.OpenAsync(result, config, data, cancellationToken).ConfigureAwait(false);
            var days = context.Settings.Retention.UnmatchedEvidenceDays;
            var done = await context.Service.RetainAsync(days, DateTimeOffset.UtcNow, result.GetValue(dryRun), cancellationToken).ConfigureAwait(false);

            foreach (var (c, outcome) in done)
            {
                Console.WriteLine($"{outcome}: case {c.CaseId} ({c.EventAt:yyyy-MM-dd}, {CaseStatuses.Name(c.Status)}) {c.EvidenceFolder}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retention ({days} days for unmatched evidence): {done.Count} case(s){(result.GetValue(dryRun) ? ", dry run: nothing deleted" : "")}"));
            return 0;
        });
        return new Command("retention", "Evidence retention.") { run };
    }

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "candidate, confirmed or rejected." };
        status.AcceptOnlyFromAmong([.. CaseStatuses.Names]);
        var camera = new Option<string?>("--camera") { Description = "Only this camera." };
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd, site time zone)." };
        var to = new Option<string?>("--to") { Description = "Last day, included (yyyy-MM-dd)." };
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("list", "Cases oldest first: time, camera, status, plate, and the official or the number of suggestions.") { status, camera, from, to, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var context = await Context.OpenAsync(result, config, data, cancellationToken).ConfigureAwait(false);
            var query = new CaseQuery(result.GetValue(status), result.GetValue(camera), context.Day(result.GetValue(from), 0), context.Day(result.GetValue(to), 1));
            var cases = await context.Store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var c in cases)
            {
                Console.WriteLine($"{c.CaseId}  {context.Local(c.EventAt)}  {c.CameraId,-8} {CaseStatuses.Name(c.Status),-9}  {c.Plate ?? "(no plate)",-9}  {Match(c)}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases.Count} case(s)"));
            return 0;
        });
        return command;
    }

    /// <summary>A turning vehicle's movement as the stored reasons name it ("turning left into …"); null for one through its stop line, or reasons that do not read.</summary>
    private static string? MovementText(string candidateJson)
    {
        try
        {
            return JsonSerializer.Deserialize<Domain.Violations.ViolationCandidate>(candidateJson, EvidenceJson.Compact)?.MovementText();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static Command Show()
    {
        var id = new Argument<string>("CASE") { Description = "The case id." };
        var key = KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("show", "One case: its time and place, plate read with per-character confidence, the official or suggestions, the vehicle against the registry (cloned plates), decisions, evidence and whether it verifies.") { id, key, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var context = await Context.OpenAsync(result, config, data, cancellationToken, result.GetValue(key)).ConfigureAwait(false);
            var caseId = result.GetRequiredValue(id);
            if (await context.Store.GetAsync(caseId, cancellationToken).ConfigureAwait(false) is not { } c)
            {
                await Console.Error.WriteLineAsync($"no case {caseId} in {context.Store.Location}").ConfigureAwait(false);
                return 2;
            }

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"case      {c.CaseId}");
            text.AppendLine(CultureInfo.InvariantCulture, $"event     {context.Local(c.EventAt)} ({context.Settings.Site.TimeZone}), site {c.SiteId}, camera {c.CameraId}, lane {c.Lane}, {c.Approach}, track {c.VehicleTrackId}");
            if (MovementText(c.CandidateJson) is { } movement)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"movement  {movement}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"status    {CaseStatuses.Name(c.Status)}{(c.DecidedBy is null ? "" : $" by {c.DecidedBy} at {context.Local(c.DecidedAt!.Value)}")}{(c.RejectReason is null ? "" : $": {c.RejectReason}{(c.RejectNote is null ? "" : $" ({c.RejectNote})")}")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"plate     {c.Plate ?? "(none)"}{(c.PlateRead is { } read && read != c.Plate ? $" (read as {read})" : "")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"reads     {c.PlateReadJson ?? "(no plate read)"}");
            text.AppendLine(CultureInfo.InvariantCulture, $"match     {Match(c)}");
            if (c.MatchJson is { } suggestions)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"suggested {suggestions}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"reasons   {c.CandidateJson}");
            text.AppendLine(CultureInfo.InvariantCulture, $"evidence  {c.EvidenceFolder}");
            var check = c.EvidenceDeletedAt is { } deleted
                ? EvidenceCheck.Deleted(context.Local(deleted))
                : await EvidenceVerifier.VerifyForAsync(c, context.Keys, cancellationToken).ConfigureAwait(false);
            text.AppendLine(check.Intact ? $"verified  every file matches the signed manifest; {check.SignedBy}" : "verified  NO:\n  " + string.Join("\n  ", check.Problems));
            var vehicle = await context.Intake.CheckVehicleAsync(c, check.Intact, cancellationToken).ConfigureAwait(false);
            text.AppendLine(CultureInfo.InvariantCulture, $"vehicle   {(vehicle.Verdict == VehicleVerdict.Mismatch ? "MISMATCH: " : "")}{vehicle.Headline}");
            foreach (var reason in vehicle.Reasons)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {reason}");
            }

            foreach (var a in await context.Store.AuditAsync(caseId, cancellationToken).ConfigureAwait(false))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"audit #{a.Id} {context.Local(a.At)} {a.Actor}: {a.Action} {a.BeforeJson} -> {a.AfterJson}");
            }

            Console.Write(text.ToString());
            return 0;
        });
        return command;
    }

    private static Command Confirm()
    {
        var id = new Argument<string>("CASE") { Description = "The case id." };
        var by = ByOption();
        var key = KeyOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var note = new Option<string?>("--note") { Description = "Why you are sure (kept with the confirmation; required when the vehicle does not match the registry)." };
        var command = new Command(
            "confirm",
            "Confirm a violation: the evidence package is verified first (a changed or missing file refuses it). A case that names an official counts only once review.officialConfirmations (2) different reviewers have confirmed it.")
        {
            id, by, note, key, config, data,
        };
        command.SetAction((result, cancellationToken) => DecideAsync(
            result, config, data, result.GetValue(key), (s, ct) => s.ConfirmAsync(result.GetRequiredValue(id), result.GetRequiredValue(by), result.GetValue(note), ct), cancellationToken));
        return command;
    }

    private static Command Reopen()
    {
        var id = new Argument<string>("CASE") { Description = "The case id." };
        var reason = new Option<string>("--reason") { Description = "The official's objection (申诉): who, when, on what grounds.", Required = true };
        var by = ByOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command(
            "reopen",
            "Reopen a confirmed case on the official's objection: it stops counting at once and waits for its confirmations again; a notice whose count falls below its number is withdrawn (one cww.notice.withdrawn message).")
        {
            id, reason, by, config, data,
        };
        command.SetAction((result, cancellationToken) => DecideAsync(
            result, config, data, null, (s, ct) => s.ReopenAsync(result.GetRequiredValue(id), result.GetRequiredValue(reason), result.GetRequiredValue(by), ct), cancellationToken));
        return command;
    }

    private static Command Reject()
    {
        var id = new Argument<string>("CASE") { Description = "The case id." };
        var reason = new Option<string>("--reason") { Description = "Why: " + string.Join(", ", RejectReasons.All) + ".", Required = true };
        reason.AcceptOnlyFromAmong([.. RejectReasons.All]);
        var note = new Option<string?>("--note") { Description = "Free text." };
        var by = ByOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("reject", "Reject a case; a confirmed one stops counting (a notice already sent stays sent).") { id, reason, note, by, config, data };
        command.SetAction((result, cancellationToken) => DecideAsync(
            result, config, data, null, (s, ct) => s.RejectAsync(result.GetRequiredValue(id), result.GetRequiredValue(reason), result.GetValue(note), result.GetRequiredValue(by), ct), cancellationToken));
        return command;
    }

    private static Command Correct()
    {
        var id = new Argument<string>("CASE") { Description = "The case id." };
        var plate = new Option<string>("--plate") { Description = "The plate as it is on the vehicle (checked against the plate grammar).", Required = true };
        var by = ByOption();
        var (config, data) = RegistryCommands.WhereOptions();
        var command = new Command("correct", "Correct a misread plate: the case is matched again and waits for a confirmation (an exact official counts only once confirmed).") { id, plate, by, config, data };
        command.SetAction((result, cancellationToken) => DecideAsync(
            result, config, data, null, (s, ct) => s.CorrectAsync(result.GetRequiredValue(id), result.GetRequiredValue(plate), result.GetRequiredValue(by), ct), cancellationToken));
        return command;
    }

    private static async Task<int> DecideAsync(
        ParseResult result, Option<FileInfo?> config, Option<DirectoryInfo?> data, FileInfo? key, Func<ReviewService, CancellationToken, Task<DecisionOutcome>> decide, CancellationToken cancellationToken)
    {
        await using var context = await Context.OpenAsync(result, config, data, cancellationToken, key).ConfigureAwait(false);
        var outcome = await decide(context.Service, cancellationToken).ConfigureAwait(false);

        var c = outcome.After;
        Console.WriteLine(outcome.Changed
            ? $"case {c.CaseId}: {CaseStatuses.Name(outcome.Before.Status)} -> {CaseStatuses.Name(c.Status)}, plate {c.Plate ?? "(none)"}, {Match(c)} (audit #{outcome.AuditId})"
            : $"case {c.CaseId}: already {CaseStatuses.Name(c.Status)}{(c.DecidedBy is null ? "" : $" by {c.DecidedBy}")}; nothing changed");
        if (outcome.Changed && c.Status == CaseStatus.Candidate && c.Confirmations.Count > 0)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"confirmation {c.Confirmations.Count} of {c.ConfirmationsNeeded(context.Rules.OfficialConfirmations)} ({string.Join(", ", c.Confirmations.Select(k => k.Actor))}): it names an official, so it counts only once another reviewer confirms it"));
        }

        foreach (var n in outcome.Notices)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"notice: official {n.OfficialId} reached violation no. {n.Ordinal} in {n.Window}; queued for the campaign office"));
        }

        foreach (var n in outcome.Withdrawn)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"notice withdrawn: official {n.OfficialId}, no. {n.Ordinal} in {n.Window}: {n.WithdrawnReason}; queued for the campaign office"));
        }

        return 0;
    }

    private static string Match(CaseRecord c) => c.MatchKind switch
    {
        Domain.Officials.MatchKind.Exact => $"official {c.OfficialId}{(c.Status == CaseStatus.Confirmed ? " (counts)" : " (counts once confirmed)")}",
        Domain.Officials.MatchKind.Suggested => "suggestions only: correct the plate to count it",
        _ => "no official",
    };

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;


    private static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { Description = "table, csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        return format;
    }

    private static Option<string> ByOption() => new("--by") { Description = "The reviewer's name (goes into the audit log).", Required = true };

    /// <summary>
    /// The legacy shared key (<c>--key</c> before per-site keys, still accepted): it verifies format-1 packages only.
    /// Format-2 packages are verified with their site's key registered in the store (<c>cww sites</c>).
    /// </summary>
    internal static Option<FileInfo?> KeyOption() => new("--legacy-key", "--key")
    {
        Description = "The legacy shared HMAC key that signed format-1 packages, before each box had its own key (default: DATA/keys/site.key when it exists). Newer packages are verified with their site's key registered with `cww sites add`.",
    };


    /// <summary>The desk one command works with, found like <c>cww registry</c> finds its store.</summary>
    private static class Context
    {
        public static Task<ReviewDesk> OpenAsync(ParseResult result, Option<FileInfo?> config, Option<DirectoryInfo?> data, CancellationToken cancellationToken, FileInfo? key = null) =>
            ReviewDesk.OpenAsync(RegistryCommands.Settings(result, config, data), key?.FullName, cancellationToken);
    }
}
