using System.Text;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Matcher.Registry;
using static CrosswalkWatch.Testing.RegistryFiles;

namespace CrosswalkWatch.UnitTests.Registry;

/// <summary>The registry's optional description of the vehicle (kind, body colour, make), checked against the evidence for cloned plates.</summary>
public sealed class RegistryCsvVehicleTests
{
    private const string VehicleHeader = Header + ",vehicle_kind,body_colour,make";

    private static string Rows(params string[] rows) => string.Join("\n", [VehicleHeader, .. rows]) + "\n";

    [Fact]
    public void Read_KindColourAndMake_InEnglishOrChinese_AreKept()
    {
        var result = Read(Rows(
            "F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,white,丰田 卡罗拉",
            "F1,甲,市交通运输局,市委组织部,,京A12346,blue,family,2024-01-01,,越野车,银色,Toyota",
            "F2,乙,市城市管理局,区委组织部,,京A12347,blue,official,2024-01-01,,Truck,RED,",
            "F2,乙,市城市管理局,区委组织部,,京A12348,blue,official,2024-01-01,,,,"));

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var vehicles = result.Snapshot!.Vehicles.ToDictionary(v => v.Plate);
        Assert.Equal((VehicleKind.Car, BodyColour.White, "丰田 卡罗拉"), (vehicles["京A12345"].Kind, vehicles["京A12345"].BodyColour, vehicles["京A12345"].Make));
        Assert.Equal((VehicleKind.Suv, BodyColour.Grey, "Toyota"), (vehicles["京A12346"].Kind, vehicles["京A12346"].BodyColour, vehicles["京A12346"].Make)); // silver is grey
        Assert.Equal((VehicleKind.Truck, BodyColour.Red, ""), (vehicles["京A12347"].Kind, vehicles["京A12347"].BodyColour, vehicles["京A12347"].Make));
        Assert.False(vehicles["京A12348"].Described);
        Assert.Null(vehicles["京A12348"].Kind);
        Assert.Null(vehicles["京A12348"].BodyColour);
    }

    [Fact]
    public void Read_WithoutTheVehicleColumns_HasNoDescription()
    {
        var result = Read(Text("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,"));

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.False(Assert.Single(result.Snapshot!.Vehicles).Described);
    }

    [Fact]
    public void Write_ThenRead_KeepsKindColourAndMake()
    {
        var first = Read(Rows(
            "F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,van,蓝,\"Jinbei, Haise\"",
            "F2,乙,市城市管理局,区委组织部,,京A12347,blue,official,2024-01-01,,,,"));
        Assert.True(first.Ok, string.Join('\n', first.Errors));
        using var writer = new StringWriter();

        RegistryCsv.Write(first.Snapshot!, writer);
        var again = RegistryCsv.Read(Encoding.UTF8.GetBytes(writer.ToString()), "exported.csv");

        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(first.Snapshot!.Vehicles, again.Snapshot!.Vehicles);
        Assert.Contains("vehicle_kind,body_colour,make", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ChangesFrom_ColourChanged_CountsTheVehicleAsChanged()
    {
        var before = Read(Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,white,")).Snapshot!;
        var after = Read(Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,black,")).Snapshot!;

        Assert.Equal(1, after.ChangesFrom(before).VehiclesChanged);
    }

    public static TheoryData<string, int, string, string> BadRows => new()
    {
        // file text, line, column, part of the reason
        { Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,whte,"), 2, "body_colour", "'whte' is not one of white, grey, gray, silver" },
        { Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,teal,"), 2, "body_colour", "'teal' is not one of" },
        { Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,tuck,white,"), 2, "vehicle_kind", "did you mean 'truck'?" },
        { Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,tank,white,"), 2, "vehicle_kind", "'tank' is not one of car, suv, van" },
        { Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,white,", "F2,乙,市城市管理局,区委组织部,,京A12346,blue,own,2024-01-01,,bus,彩色,"), 3, "body_colour", "'彩色' is not one of" },
        { Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,white," + new string('x', 65)), 2, "make", "at most 64 characters" },
        { Rows("F1,甲,市交通运输局,市委组织部,,,,,,,car,,"), 2, "plate", "empty, but vehicle_kind is filled" },
    };

    [Fact]
    public void Read_MistypedColour_SuggestsTheName()
    {
        var error = Assert.Single(Read(Rows("F1,甲,市交通运输局,市委组织部,,京A12345,blue,own,2024-01-01,,car,whte,"), "bad.csv").Errors);

        Assert.Contains("did you mean 'white'?", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Read_UnknownKindOrColour_ReportsRowAndColumnAndNoSnapshot(string text, int line, string column, string reason)
    {
        var result = Read(text, "bad.csv");

        Assert.False(result.Ok);
        Assert.Null(result.Snapshot);
        var error = Assert.Single(result.Errors);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"bad.csv:{line}: {column}: ", error.ToString(), StringComparison.Ordinal);
    }
}
