using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace CrosswalkWatch.Testing;

/// <summary>
/// A real, throwaway PostgreSQL 15 cluster from Debian's packages, started once for the test run: initdb into a
/// temporary folder, a free port on 127.0.0.1, a scram password, the socket in the same folder; stopped and deleted
/// at the end. Each test gets a fresh database from <see cref="CreateDatabase"/>. Missing binaries fail the tests
/// with how to install them (never a skip).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Collection = "postgres";

    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string User = "postgres";

    private readonly string _root;
    private readonly string _password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private int _databases;

    public PostgresServer()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")) || !File.Exists(Path.Combine(Bin, "pg_ctl")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({Bin}/initdb and pg_ctl are missing): run scripts/setup.sh as root (it installs the Debian package postgresql), then run the tests again.");
        }

        _root = Directory.CreateTempSubdirectory("cww-pg-").FullName;
        try
        {
            var passwordFile = Path.Combine(_root, "password");
            File.WriteAllText(passwordFile, _password);
            if (Environment.IsPrivilegedProcess)
            {
                // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
                Run("chown", "-R", $"{User}:{User}", _root);
            }

            Port = FreePort();
            Pg("initdb", "-D", DataFolder, "-U", User, "-E", "UTF8", "--locale=C", "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--pwfile=" + passwordFile);
            File.Delete(passwordFile);
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    private string DataFolder => Path.Combine(_root, "data");

    /// <summary>Creates an empty database and returns the connection string of a store on it.</summary>
    public string CreateDatabase()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"cww_test_{Interlocked.Increment(ref _databases)}");
        using (var admin = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = User, Password = _password, Database = database, Timeout = 5 }.ToString();

    /// <summary>Starts the cluster (again) on the same port; returns once it accepts connections.</summary>
    public void Start() =>
        Pg("pg_ctl", "-D", DataFolder, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c fsync=off -c max_connections=50", "start");

    /// <summary>Stops the cluster as an operator would (<c>pg_ctl stop -m fast</c>: sessions are ended).</summary>
    public void Stop() => Pg("pg_ctl", "-D", DataFolder, "-m", "fast", "-w", "stop");

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(DataFolder) && File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            try
            {
                Pg("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder goes anyway.
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner takes the rest.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL program, as the postgres user when the tests run as root.</summary>
    private static void Pg(string program, params string[] arguments) =>
        Run(Environment.IsPrivilegedProcess ? "runuser" : Path.Combine(Bin, program),
            Environment.IsPrivilegedProcess ? ["-u", User, "--", Path.Combine(Bin, program), .. arguments] : arguments);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish in 90 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {error.Result}{output.Result}");
        }
    }
}
