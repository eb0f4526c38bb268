namespace CrosswalkWatch.IntegrationTests;

// xunit finds collection definitions only in the test assembly: the fixtures themselves are in CrosswalkWatch.Testing.

/// <summary>The test classes that share the loaded detection models.</summary>
[CollectionDefinition(Name)]
public sealed class UsesDetectionModels : ICollectionFixture<DetectionModels>
{
    public const string Name = "detection models";
}

/// <summary>The test classes that share one <see cref="GeneratedSuite"/> (generated once per test run).</summary>
[CollectionDefinition(Name)]
public sealed class GeneratedSuiteUsers : ICollectionFixture<GeneratedSuite>
{
    public const string Name = "generated suite";
}

/// <summary>The tests that share the run's one PostgreSQL cluster (they run one after another: one of them restarts it).</summary>
[CollectionDefinition(PostgresServer.Collection)]
public sealed class UsesPostgres : ICollectionFixture<PostgresServer>;
