using System.Text;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Matcher.Matching;
using CrosswalkWatch.Matcher.Registry;
using static CrosswalkWatch.Testing.RegistryFiles;

namespace CrosswalkWatch.UnitTests.Registry;

public class RegistryCsvTests
{
    /// <summary>
    /// The violating vehicles' plates of `cww scenarios generate --seed 7 --count 40` (the ground truth of its clips),
    /// which the sample registry is built around.
    /// </summary>
    private static readonly string[] Suite7ViolatingPlates =
    [
        "藏DE24376", "辽GDE2F1", "晋KCH8274", "吉TX983S", "渝P80349", "青A9HP2K", "辽FR75L2", "甘H7X8N6", "吉S4525U", "津LAC2062",
        "贵Y1253K", "云E139R3", "甘G2M2T7", "吉R9167W", "京J20G68", "闽V2G44J", "云C693W3", "甘FT0597", "陕Q47998", "宁FK02UV",
        "陕TEQ8224", "云BD56C4", "桂E2691V", "陕PXK319", "川D5A1WU",
    ];

    [Fact]
    public void Read_Sample_IsCleanAndCoversTheGeneratedSuite()
    {
        var result = RegistryCsv.Read(File.ReadAllBytes(SamplePath), "officials.csv");

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var snapshot = result.Snapshot!;
        Assert.InRange(snapshot.Officials.Count, 8, 12);

        var index = PlateIndex.Build(snapshot);
        var today = new DateOnly(2026, 11, 28);
        var perOfficial = Suite7ViolatingPlates
            .Select(p => index.Match(p, today))
            .Where(m => m.Kind == MatchKind.Exact)
            .GroupBy(m => m.Exact!.Official.Id)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Contains(perOfficial.Values, n => n >= 3); // someone reaches the third-and-over count
        Assert.Contains(perOfficial.Values, n => n == 2);
        Assert.Contains(Suite7ViolatingPlates, p => index.Match(p, today).Kind == MatchKind.Suggested); // the fuzzy path
        Assert.Contains(snapshot.Vehicles.GroupBy(v => v.Plate), g => g.Select(v => v.OfficialId).Distinct().Count() > 1); // a plate handed on
    }

    [Fact]
    public void Read_GoodFile_ReadsOfficialsVehiclesAndOfficialsWithoutVehicles()
    {
        var result = Read(Text(
            "F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,2024-12-31",
            "F1,甲,市交通运输局,市委组织部,,沪AD12345,,family,2024-06-01,",
            "F2,乙,市城市管理局,区委组织部,no car,,,,,"));

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal("utf-8", result.Encoding);
        Assert.Equal(["F1", "F2"], result.Snapshot!.Officials.Select(o => o.Id));
        Assert.Equal(
            [
                new RegisteredVehicle("F1", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)),
                new RegisteredVehicle("F1", "沪AD12345", PlateColour.Green, VehicleRelation.Family, new DateOnly(2024, 6, 1), null), // green implied
            ],
            result.Snapshot.Vehicles);
    }

    [Fact]
    public void Read_HeaderOnly_IsAnEmptyRegistry()
    {
        var result = Read(Header + "\n");

        Assert.True(result.Ok);
        Assert.Empty(result.Snapshot!.Officials);
    }

    [Fact]
    public void Read_ColumnsInAnyOrderAndCase_OptionalOnesLeftOut()
    {
        var result = Read("Plate,OFFICIAL_ID,Name,Department,Authority,Relation,Valid_From\n京A12345,F1,甲,市交通运输局,市委组织部,official,2024-01-01\n");

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal(VehicleRelation.Official, Assert.Single(result.Snapshot!.Vehicles).Relation);
    }

    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndLineBreaks_KeepTheirTextAndThePhysicalLines()
    {
        var result = Read(Text(
            "F1,甲,市交通运输局,市委组织部,\"notes, with a comma and \"\"quotes\"\"\nand a second line\",京A12345,blue,own,2024-01-01,",
            "F2,乙,市城市管理局,区委组织部,,京A12346,blue,own,2024-01-01,"));

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal("notes, with a comma and \"quotes\"\nand a second line", Assert.Single(result.Snapshot?.Officials ?? [], o => o.Id == "F1").Notes);
    }

    public static TheoryData<string, int, string, string> BadFiles => new()
    {
        // file text, line, column, part of the reason
        { "", 1, "header", "the file is empty" },
        { Header.Replace("plate,", "plat,", StringComparison.Ordinal) + "\n", 1, "plat", "unknown column 'plat'; did you mean 'plate'?" },
        { Header + ",colour\n", 1, "colour", "unknown column 'colour'" },
        { Header.Replace(",relation", "", StringComparison.Ordinal) + "\n", 1, "relation", "required column 'relation' is missing" },
        { Header + ",plate\n", 1, "plate", "appears twice" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A1234,blue,own,2024-01-01,"), 2, "plate", "invalid plate '京A1234': 6 plate characters" },
        { Text("F1,甲,市交通运输局,市委组织部,,京I12345,blue,own,2024-01-01,"), 2, "plate", "position 2 must be a letter" },
        { Text("F1,甲,市交通运输局,市委组织部,,沪AD12345,blue,own,2024-01-01,"), 2, "plate_type", "does not fit plate 沪AD12345, which is green" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A12345,purple,own,2024-01-01,"), 2, "plate_type", "'purple' is not one of" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,offical,2024-01-01,"), 2, "relation", "did you mean 'official'?" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,,2024-01-01,"), 2, "relation", "empty; a row with a plate needs it" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024/01/01,"), 2, "valid_from", "not a date as yyyy-MM-dd" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,,"), 2, "valid_from", "empty" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,2023-12-31"), 2, "valid_to", "before valid_from" },
        { Text(",甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,"), 2, "official_id", "empty" },
        { Text("F1,,市交通运输局,市委组织部,,,,,,"), 2, "name", "empty" },
        { Text("F1,甲,市交通运输局,市委组织部,,,,own,,"), 2, "plate", "empty, but relation is filled" },
        { Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own"), 2, "row", "8 fields, but the header has 10" },
        { Text("F1,甲,市交通运输局,市委组织部,\"open quote,京A12345,blue,own,2024-01-01,"), 2, "row", "never closed" },
        { Text("F1,甲,市交通运输局,市委组织部,\"a\"b,京A12345,blue,own,2024-01-01,"), 2, "row", "closing quote must be followed by a comma" },
        {
            Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,", "F2,乙,市城市管理局,区委组织部,,京A12345,blue,own,2024-12-31,"),
            3, "valid_from", "plate 京A12345 from 2024-12-31 overlaps its entry on line 2 (2024-01-01 to open, official F1)"
        },
        {
            Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,2024-12-31", "F2,乙,市城市管理局,区委组织部,,京A12345,blue,own,2024-12-31,"),
            3, "valid_from", "overlaps its entry on line 2 (2024-01-01 to 2024-12-31" // a shared edge day overlaps: both ends are inclusive
        },
        {
            Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,", "F1,乙,市交通运输局,市委组织部,,沪A12345,blue,own,2024-01-01,"),
            3, "name", "duplicate official id 'F1' with different details: line 2 has name '甲', this line '乙'"
        },
        {
            Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,", "F1,甲,市城市管理局,市委组织部,,,,,,"),
            3, "department", "duplicate official id 'F1'"
        },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadInput_ReportsFileLineColumnAndReasonAndNoSnapshot(string text, int line, string column, string reason)
    {
        var result = Read(text, "bad.csv");

        Assert.False(result.Ok);
        Assert.Null(result.Snapshot);
        var error = Assert.Single(result.Errors, e => e.Line == line && e.Column == column);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"bad.csv:{line}: {column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HandedOnTheNextDay_IsNoOverlap()
    {
        var result = Read(Text(
            "F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,2024-12-30",
            "F2,乙,市城市管理局,区委组织部,,京A12345,blue,own,2024-12-31,"));

        Assert.True(result.Ok, string.Join('\n', result.Errors));
    }

    [Fact]
    public void Read_SeveralBadRows_ReportsEveryOneAtItsPhysicalLine()
    {
        var result = Read(Text(
            "F1,甲,市交通运输局,市委组织部,\"two\nlines\",京A1234,blue,own,2024-01-01,", // lines 2–3
            "F2,乙,市城市管理局,区委组织部,,京A12345,blue,bus,2024-01-01,",              // line 4
            "",                                                                            // line 5, blank
            "F3,丙,市城市管理局,区委组织部,,京A12346,blue,own,someday,"));                   // line 6

        Assert.Equal(
            ["officials.csv:2: plate", "officials.csv:4: relation", "officials.csv:6: valid_from"],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Column}"));
    }

    [Fact]
    public void Read_Gb18030File_IsDecodedAndSaysSo()
    {
        var text = Text("F1,张示例,市交通运输局,市委组织部,备注,京A12345,蓝,公务,2024-01-01,");
        var bytes = RegistryCsv.Gb18030.GetBytes(text);

        var result = RegistryCsv.Read(bytes, "gbk.csv");

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal("gb18030", result.Encoding);
        Assert.Equal("张示例", result.Snapshot!.Officials[0].Name);
        Assert.Equal(new RegisteredVehicle("F1", "京A12345", PlateColour.Blue, VehicleRelation.Official, new DateOnly(2024, 1, 1), null), result.Snapshot.Vehicles[0]);
    }

    [Fact]
    public void Read_Utf8WithBom_IsDecodedAndTheHeaderStillMatches()
    {
        var bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(Text("F1,张示例,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,"))).ToArray();

        var result = RegistryCsv.Read(bytes, "bom.csv");

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal("utf-8 with BOM", result.Encoding);
        Assert.Equal("张示例", result.Snapshot!.Officials[0].Name);
    }

    [Fact]
    public void Read_Utf16_IsRefusedWithAWayOut()
    {
        var result = RegistryCsv.Read(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Header)).ToArray(), "u16.csv");

        Assert.Contains("save the file as UTF-8 or GB18030", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("gb18030")]
    public void Write_ThenRead_GivesTheSameRegistry(string encoding)
    {
        var original = RegistryCsv.Read(File.ReadAllBytes(SamplePath), "officials.csv").Snapshot!;
        var text = new StringWriter();

        RegistryCsv.Write(original, text);
        var bytes = encoding == "gb18030" ? RegistryCsv.Gb18030.GetBytes(text.ToString()) : Encoding.UTF8.GetBytes(text.ToString());
        var again = RegistryCsv.Read(bytes, "export.csv");

        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(encoding, again.Encoding);
        Assert.Equal(original.Officials.OrderBy(o => o.Id), again.Snapshot!.Officials.OrderBy(o => o.Id));
        Assert.Equal(original.Vehicles.OrderBy(v => v.Plate).ThenBy(v => v.ValidFrom), again.Snapshot.Vehicles.OrderBy(v => v.Plate).ThenBy(v => v.ValidFrom));
    }
}
