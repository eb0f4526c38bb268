using static CrosswalkWatch.Testing.RegistryFiles;

namespace CrosswalkWatch.IntegrationTests.Registry;

/// <summary>`cww registry …` run as an operator runs it: the real cww process on real files.</summary>
public class RegistryCliTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Import_BadFileAfterAGoodOne_ExitsTwoListsEveryErrorAndChangesNothing()
    {
        using var temp = new TempFolder();
        var data = temp.File("data");
        var good = await CwwProcess.RunAsync(Patience, "registry", "import", SamplePath, "--data", data);
        Assert.True(good.ExitCode == 0, good.All);
        Assert.Contains("read as utf-8: 10 officials, 14 vehicle entries; import #1", good.Output, StringComparison.Ordinal);
        var before = await CwwProcess.RunAsync(Patience, "registry", "export", "--data", data);

        var bad = temp.File("bad.csv");
        await File.WriteAllTextAsync(bad, Text(
            "F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,",
            "F2,乙,市城市管理局,区委组织部,,京A1234,blue,own,2024-01-01,",
            "F3,丙,市城市管理局,区委组织部,,京A12345,blue,own,2024-06-01,"));
        var result = await CwwProcess.RunAsync(Patience, "registry", "import", bad, "--data", data);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{bad}:3: plate: invalid plate '京A1234'", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}:4: valid_from: plate 京A12345 from 2024-06-01 overlaps its entry on line 2", result.Error, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was imported, the registry is unchanged", result.Error, StringComparison.Ordinal);
        var after = await CwwProcess.RunAsync(Patience, "registry", "export", "--data", data);
        Assert.Equal(before.Output, after.Output);
        var history = await CwwProcess.RunAsync(Patience, "registry", "history", "--data", data);
        Assert.Single(history.Output.Split('\n'), l => l.Contains("officials.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Match_SampleRegistry_ExactForTheOwnerOnTheDateAndSuggestionsForAConfusion()
    {
        using var temp = new TempFolder();
        var data = temp.File("data");
        Assert.Equal(0, (await CwwProcess.RunAsync(Patience, "registry", "import", SamplePath, "--data", data)).ExitCode);

        var before = await CwwProcess.RunAsync(Patience, "registry", "match", "吉S4525U", "--date", "2026-06-30", "--data", data);
        var after = await CwwProcess.RunAsync(Patience, "registry", "match", "吉S·4525U", "--date", "2026-07-01", "--data", data);
        var fuzzy = await CwwProcess.RunAsync(Patience, "registry", "match", "陕Q47998", "--date", "2026-11-28", "--data", data);

        Assert.Contains("exact match", before.Output, StringComparison.Ordinal);
        Assert.Contains("F003", before.Output, StringComparison.Ordinal);
        Assert.Contains("F004", after.Output, StringComparison.Ordinal);
        Assert.Contains("never counted until a reviewer confirms the plate", fuzzy.Output, StringComparison.Ordinal);
        Assert.Contains("陕Q4799B", fuzzy.Output, StringComparison.Ordinal);
        Assert.Contains("7:8→B", fuzzy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAndList_VehicleDescriptions_ListsKindColourMake_AndRefusesAnUnknownColourByLineAndColumn()
    {
        using var temp = new TempFolder();
        var data = temp.File("data");
        var good = temp.File("described.csv");
        await File.WriteAllTextAsync(good, string.Join("\n", [
            Header + ",vehicle_kind,body_colour,make",
            "F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,越野车,银色,丰田 普拉多",
            "F2,乙,市城市管理局,区委组织部,,京A12346,blue,own,2024-01-01,,,,",
        ]) + "\n");
        var import = await CwwProcess.RunAsync(Patience, "registry", "import", good, "--data", data);
        Assert.True(import.ExitCode == 0, import.All);

        var list = await CwwProcess.RunAsync(Patience, "registry", "list", "--data", data);
        var match = await CwwProcess.RunAsync(Patience, "registry", "match", "京A12345", "--date", "2026-11-28", "--data", data);

        Assert.True(list.ExitCode == 0, list.All);
        Assert.Contains("kind suv         colour grey     make 丰田 普拉多", list.Output, StringComparison.Ordinal);
        Assert.Contains("kind -           colour -        make -", list.Output, StringComparison.Ordinal);
        Assert.Contains("own car (grey suv, make 丰田 普拉多)", match.Output, StringComparison.Ordinal);

        var bad = temp.File("bad.csv");
        await File.WriteAllTextAsync(bad, string.Join("\n", [
            Header + ",vehicle_kind,body_colour,make",
            "F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,whit,",
            "F2,乙,市城市管理局,区委组织部,,京A12346,blue,own,2024-01-01,,lorry,,",
        ]) + "\n");
        var refused = await CwwProcess.RunAsync(Patience, "registry", "import", bad, "--data", data);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{bad}:2: body_colour: 'whit' is not one of", refused.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'white'?", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}:3: vehicle_kind: 'lorry' is not one of", refused.Error, StringComparison.Ordinal);
        Assert.Equal(list.Output, (await CwwProcess.RunAsync(Patience, "registry", "list", "--data", data)).Output);
    }
}
