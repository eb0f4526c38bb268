using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Storage;

/// <summary>The one place commands open their stores from <c>storage</c> settings.</summary>
public sealed class StoresTests
{
    [Fact]
    public void Open_Sqlite_TheFileUnderTheDataFolder()
    {
        using var temp = new TempFolder();
        var storage = new StorageConfig { SqlitePath = "db/box.db" };

        using var cases = Stores.OpenCases(storage, temp.Path);
        using var registry = Stores.OpenRegistry(storage, temp.Path);

        Assert.IsType<SqliteCaseStore>(cases);
        Assert.IsType<SqliteRegistryStore>(registry);
        Assert.Equal(temp.File("db/box.db"), cases.Location);
        Assert.Equal(cases.Location, registry.Location);
    }

    [Fact]
    public void Open_Postgres_NamesHostPortAndDatabaseNeverThePassword()
    {
        var storage = new StorageConfig { Type = StorageKind.Postgres, ConnectionString = "Host=db.city.lan;Port=5433;Database=cww;Username=cww;Password=hunter2" };

        using var cases = Stores.OpenCases(storage, "/unused");
        using var registry = Stores.OpenRegistry(storage, "/unused");

        Assert.IsType<PostgresCaseStore>(cases);
        Assert.IsType<PostgresRegistryStore>(registry);
        Assert.Equal("PostgreSQL db.city.lan:5433/cww", cases.Location);
        Assert.Equal(cases.Location, registry.Location);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Open_PostgresWithoutConnectionString_NamesTheKey(string? connectionString)
    {
        var storage = new StorageConfig { Type = StorageKind.Postgres, ConnectionString = connectionString };

        var error = Assert.Throws<StorageException>(() => Stores.OpenCases(storage, "/unused"));

        Assert.StartsWith("storage.connectionString: required when storage.type is postgres", error.Message, StringComparison.Ordinal);
    }
}
