using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrosswalkWatch.Config;
using CrosswalkWatch.Domain.Scene;
using CrosswalkWatch.Storage;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Http;

namespace CrosswalkWatch.Web.Operators;

/// <summary>
/// A camera's scene file as read now: its text, a version (changes whenever the file does), and the scene or the
/// loader's errors, or why it could not be read (<see cref="Unreadable"/>).
/// </summary>
public sealed record SceneFile(string Path, string Text, string Version, SceneDefinition? Scene, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>Why the file could not be read at all, as a console text; null when it was read.</summary>
    public OperatorText? Unreadable { get; init; }

    /// <summary>What keeps the file from loading, one text per problem: the loader's errors (as <see cref="SceneFiles.Describe"/> gives them), or why it could not be read.</summary>
    public IEnumerable<string> Problems(HttpContext context) => Unreadable is { } unreadable ? [unreadable.In(context)] : Errors.Select(e => SceneFiles.Describe(context, e));
}

/// <summary>How a save went: saved (the new version and where the old file was kept), refused with the loader's errors, or in conflict (<see cref="Message"/> says why).</summary>
public sealed record SceneSave(int Status, string? Version = null, string? Backup = null, SceneDefinition? Scene = null, IReadOnlyList<ConfigError>? Errors = null, OperatorText? Message = null)
{
    public bool Saved => Status == 200;
}

/// <summary>
/// The cameras' scene files as the operators' console reads and saves them. A save is checked by
/// <see cref="SceneLoader"/> (the rules the edge box applies at start: points in 0–1, a convex crosswalk, lanes reaching
/// it, the rule's bounds…) before anything is written; then the old file is kept beside it
/// (NAME.yaml.2026-11-28T071500Z.bak), the new one written to a temporary file and renamed over it, and the change
/// recorded in the audit log. A save names the version it was made from: if the file changed meanwhile (another
/// operator, an edit by hand) it is refused rather than overwriting that change.
/// </summary>
public sealed class SceneFiles(ConsoleStore store, TimeProvider clock)
{
    private const string SavedMark = "Saved from the CrosswalkWatch console";

    /// <summary>One save at a time in this process (the version check covers other processes and hands).</summary>
    private static readonly SemaphoreSlim Turn = new(1, 1);

    public static SceneFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SceneFile(path, "", "", null, []) { Unreadable = new("operator.scene.unreadable", ("reason", e.Message)) };
        }

        var (scene, errors) = Check(text, path);
        return new SceneFile(path, text, SceneLoader.VersionOf(text), scene, errors);
    }

    /// <summary>The scene of <paramref name="yaml"/> as the loader reads it, or its errors.</summary>
    public static (SceneDefinition? Scene, IReadOnlyList<ConfigError> Errors) Check(string yaml, string path)
    {
        try
        {
            return (SceneLoader.Parse(yaml, path), []);
        }
        catch (ConfigException e)
        {
            return (null, e.Errors.Count > 0 ? e.Errors : [new ConfigError(path, 0, 0, "", e.Message)]);
        }
    }

    /// <summary>
    /// Saves <paramref name="change"/> of the file's scene, made from <paramref name="version"/>, with an audit row
    /// (<paramref name="subject"/>, <paramref name="action"/>, what <paramref name="audit"/> shows of the scene before and after).
    /// </summary>
    public async Task<SceneSave> SaveAsync(
        string path,
        string? version,
        Func<SceneDefinition, SceneDefinition> change,
        string actor,
        string subject,
        string action,
        Func<SceneDefinition, object> audit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(audit);
        await Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Read(path);
            if (current.Version != version)
            {
                return new SceneSave(409, Message: new("operator.error.sceneChanged", ("file", Path.GetFileName(path))));
            }

            if (current.Scene is null)
            {
                var why = current.Unreadable ?? (object)string.Join("; ", current.Errors.Select(e => e.Message));
                return new SceneSave(409, Errors: current.Errors, Message: new("operator.error.sceneOnDiskBroken", ("file", Path.GetFileName(path)), ("errors", why)));
            }

            var now = clock.GetUtcNow();
            var backup = BackupPath(path, now);
            var wanted = change(current.Scene);
            var text = SceneWriter.Write(wanted, Header(current.Text, actor, now, Path.GetFileName(backup)));
            var (saved, errors) = Check(text, path);
            if (saved is null)
            {
                return new SceneSave(400, Errors: errors);
            }

            var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            try
            {
                File.Copy(path, backup);
                await File.WriteAllTextAsync(temporary, text, CancellationToken.None).ConfigureAwait(false);
                File.Move(temporary, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(temporary);
                if (File.Exists(backup) && File.ReadAllText(path) == current.Text)
                {
                    File.Delete(backup);
                }

                return new SceneSave(500, Message: new("operator.error.sceneNotWritten", ("file", path), ("reason", e.Message)));
            }

            try
            {
                await store.RecordChangeAsync(
                    actor,
                    subject,
                    action,
                    new SceneAudit(path, current.Version, null, audit(current.Scene)),
                    new SceneAudit(path, SceneLoader.VersionOf(text), backup, audit(saved)),
                    now,
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                // A change that is not in the audit log is not made.
                File.Copy(backup, path, overwrite: true);
                File.Delete(backup);
                throw;
            }

            return new SceneSave(200, SceneLoader.VersionOf(text), backup, saved);
        }
        finally
        {
            Turn.Release();
        }
    }

    /// <summary>An error as the page shows it, in the language of <paramref name="context"/>'s reader: the key and what is wrong (lines would point into the unsaved text).</summary>
    public static string Describe(HttpContext context, ConfigError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Key.Length > 0 ? $"{error.Key}: {Message(context, error)}" : Message(context, error);
    }

    /// <summary>What is wrong, in the reader's language where the loader says it as a phrase (else its English).</summary>
    public static string Message(HttpContext context, ConfigError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Text is { } text ? context.T(text) : error.Message;
    }

    /// <summary>NAME.yaml.2026-11-28T071500Z.bak beside the file; -2, -3… if saved twice in a second.</summary>
    private static string BackupPath(string path, DateTimeOffset at)
    {
        var stamp = at.UtcDateTime.ToString("yyyy-MM-dd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var backup = $"{path}.{stamp}.bak";
        for (var n = 2; File.Exists(backup); n++)
        {
            backup = $"{path}.{stamp}-{n.ToString(CultureInfo.InvariantCulture)}.bak";
        }

        return backup;
    }

    /// <summary>
    /// Who saved it and when, then the file's own opening comments (what the scene shows, how to check it); a
    /// note that comments between the keys stay in the backup, when there were any.
    /// </summary>
    private static List<string> Header(string previous, string actor, DateTimeOffset at, string backup)
    {
        var lines = previous.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var opening = lines.TakeWhile(l => l.TrimStart().StartsWith('#') || l.Trim().Length == 0)
            .Where(l => l.TrimStart().StartsWith('#'))
            .Select(l => l.TrimStart().TrimStart('#').TrimStart())
            .Where(l => !l.StartsWith(SavedMark, StringComparison.Ordinal) && !l.StartsWith(InnerNote, StringComparison.Ordinal))
            .ToList();
        var inner = lines.SkipWhile(l => l.TrimStart().StartsWith('#') || l.Trim().Length == 0).Any(l => l.TrimStart().StartsWith('#'));
        var header = new List<string>
        {
            $"{SavedMark} by {actor} at {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC; the previous version is kept beside it as {backup}.",
        };
        if (inner)
        {
            header.Add($"{InnerNote} {backup}.");
        }

        header.AddRange(opening);
        return header;
    }

    private const string InnerNote = "Comments that stood between the keys are not carried over by the console; they are in";

    /// <summary>The scene file in the audit log: where, its version before or after, the backup made, and what changed in it.</summary>
    private sealed record SceneAudit(string File, string Version, string? Backup, object Content);
}
