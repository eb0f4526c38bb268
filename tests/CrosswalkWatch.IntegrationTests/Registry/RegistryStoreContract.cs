using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Matcher.Registry;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Registry;

/// <summary>What every registry store must do, run against each implementation (SQLite and PostgreSQL).</summary>
public abstract class RegistryStoreContract : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 1, 2, 3, 456, TimeSpan.Zero);

    protected TempFolder Temp { get; } = new();

    /// <summary>A store over the same database each time it is called (to test reopening).</summary>
    protected abstract IRegistryStore OpenStore();

    /// <summary>A case store over the same database.</summary>
    protected abstract ICaseStore OpenCaseStore();

    private static RegistrySnapshot Sample() => RegistryCsv.Read(File.ReadAllBytes(RegistryFiles.SamplePath), "officials.csv").Snapshot!;

    private static RegistrySource Source(string name) => new(name, new string('a', 64), "utf-8");

    [Fact]
    public async Task Load_BeforeAnyImport_IsEmptyWithNoHistory()
    {
        using var store = OpenStore();
        await store.MigrateAsync();
        await store.MigrateAsync();

        var snapshot = await store.LoadAsync();

        Assert.Empty(snapshot.Officials);
        Assert.Empty(snapshot.Vehicles);
        Assert.Empty(await store.HistoryAsync());
    }

    [Fact]
    public async Task Replace_TheSample_LoadsBackEqualAndSurvivesReopening()
    {
        var sample = Sample();
        using (var store = OpenStore())
        {
            await store.MigrateAsync();
            var import = await store.ReplaceAsync(sample, Source("officials.csv"), At);
            Assert.Equal(new RegistryChanges(sample.Officials.Count, 0, 0, sample.Vehicles.Count, 0, 0), import.Changes);
        }

        using var again = OpenStore();
        await again.MigrateAsync();
        var loaded = await again.LoadAsync();
        Assert.Equal(sample.Officials.OrderBy(o => o.Id, StringComparer.Ordinal), loaded.Officials);
        Assert.Equal(sample.Vehicles.OrderBy(v => v.Plate, StringComparer.Ordinal).ThenBy(v => v.ValidFrom), loaded.Vehicles);
        var only = Assert.Single(await again.HistoryAsync());
        Assert.Equal((1, At, Source("officials.csv"), sample.Officials.Count, sample.Vehicles.Count), (only.Id, only.ImportedAt, only.Source, only.Officials, only.Vehicles));
    }

    [Fact]
    public async Task Replace_ReimportChangingOneVehicle_HistoryCountsAddedChangedRemoved()
    {
        using var store = OpenStore();
        await store.MigrateAsync();
        var first = Sample();
        await store.ReplaceAsync(first, Source("v1.csv"), At);

        // One vehicle's period is closed; one vehicle is dropped; one official comes with a new car.
        var closed = first.Vehicles[0] with { ValidTo = new DateOnly(2026, 12, 31) };
        var dropped = first.Vehicles[1];
        var newcomer = new Official("N1", "新示例", "市水务局", "市委组织部", "");
        var second = new RegistrySnapshot(
            [.. first.Officials, newcomer],
            [closed, .. first.Vehicles.Skip(2), new RegisteredVehicle("N1", "闽D12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2026, 1, 1), null)]);
        await store.ReplaceAsync(second, Source("v2.csv"), At.AddDays(1));

        var history = await store.HistoryAsync();
        Assert.Equal(["v1.csv", "v2.csv"], history.Select(h => h.Source.FileName));
        Assert.Equal([1L, 2L], history.Select(h => h.Id));
        Assert.Equal(new RegistryChanges(1, 0, 0, 1, 1, 1), history[1].Changes);
        var loaded = await store.LoadAsync();
        Assert.Contains(closed, loaded.Vehicles);
        Assert.DoesNotContain(dropped, loaded.Vehicles);
    }

    [Fact]
    public async Task Replace_VehiclesDescribedOrNot_LoadBackKindColourAndMake()
    {
        var official = new Official("F1", "示例", "市交通运输局", "市委组织部", "");
        RegisteredVehicle Vehicle(string plate) => new("F1", plate, PlateColour.Blue, VehicleRelation.Own, new DateOnly(2026, 1, 1), null);
        var snapshot = new RegistrySnapshot(
            [official],
            [
                Vehicle("京A11111") with { Kind = VehicleKind.Car, BodyColour = BodyColour.White, Make = "丰田 卡罗拉" },
                Vehicle("京A22222") with { Kind = VehicleKind.Truck },
                Vehicle("京A33333") with { BodyColour = BodyColour.Grey, Make = "Jinbei, Haise" },
                Vehicle("京A44444"),
            ]);
        using (var store = OpenStore())
        {
            await store.MigrateAsync();
            await store.ReplaceAsync(snapshot, Source("described.csv"), At);
        }

        using var again = OpenStore();
        var loaded = await again.LoadAsync();

        Assert.Equal(snapshot.Vehicles, loaded.Vehicles);
        Assert.False(loaded.Vehicles.Single(v => v.Plate == "京A44444").Described);
    }

    [Fact]
    public async Task Replace_FailingHalfway_ChangesNothing()
    {
        using var store = OpenStore();
        await store.MigrateAsync();
        var first = Sample();
        await store.ReplaceAsync(first, Source("v1.csv"), At);

        // The same plate twice from the same day: the second insert fails after the officials and first rows are written.
        var twice = new RegisteredVehicle("F001", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2026, 1, 1), null);
        var broken = new RegistrySnapshot([first.Officials[0]], [twice, twice with { Relation = VehicleRelation.Family }]);
        await Assert.ThrowsAsync<StorageException>(() => store.ReplaceAsync(broken, Source("broken.csv"), At.AddDays(1)));

        var loaded = await store.LoadAsync();
        Assert.Equal(first.Officials.Count, loaded.Officials.Count);
        Assert.Equal(first.Vehicles.Count, loaded.Vehicles.Count);
        Assert.Equal(["v1.csv"], (await store.HistoryAsync()).Select(h => h.Source.FileName));
    }

    [Fact]
    public async Task Registry_AndCases_ShareOneDatabase()
    {
        using var cases = OpenCaseStore();
        await cases.MigrateAsync();
        using var registry = OpenStore();
        await registry.MigrateAsync();

        Assert.Empty(await cases.ListAsync());
        Assert.Empty((await registry.LoadAsync()).Officials);
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteRegistryStoreTests : RegistryStoreContract
{
    protected override IRegistryStore OpenStore() => new SqliteRegistryStore(Temp.File("cww.db"));

    protected override ICaseStore OpenCaseStore() => new SqliteCaseStore(Temp.File("cww.db"));
}

[Collection(PostgresServer.Collection)]
public sealed class PostgresRegistryStoreTests(PostgresServer server) : RegistryStoreContract
{
    private readonly string _database = server.CreateDatabase();

    protected override IRegistryStore OpenStore() => new PostgresRegistryStore(_database);

    protected override ICaseStore OpenCaseStore() => new PostgresCaseStore(_database);
}
