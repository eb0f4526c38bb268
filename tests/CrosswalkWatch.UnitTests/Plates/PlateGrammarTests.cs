using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.UnitTests.Plates;

public class PlateGrammarTests
{
    public static TheoryData<string, PlateKind, PlateColour> Valid => new()
    {
        { "京A12345", PlateKind.Ordinary, PlateColour.Unknown },      // blue or yellow: the colour must be seen
        { "粤B8DX21", PlateKind.Ordinary, PlateColour.Unknown },
        { "沪AZ999Z", PlateKind.Ordinary, PlateColour.Unknown },
        { "京A0001警", PlateKind.Ordinary, PlateColour.White },
        { "苏E1234学", PlateKind.Ordinary, PlateColour.Yellow },
        { "鲁B3521挂", PlateKind.Ordinary, PlateColour.Yellow },
        { "粤Z1234港", PlateKind.Ordinary, PlateColour.Black },
        { "粤Z5678澳", PlateKind.Ordinary, PlateColour.Black },
        { "京A1234使", PlateKind.Ordinary, PlateColour.Black },
        { "沪A0052领", PlateKind.Ordinary, PlateColour.Black },
        { "京AD12345", PlateKind.NewEnergySmall, PlateColour.Green },
        { "皖KF01833", PlateKind.NewEnergySmall, PlateColour.Green },
        { "浙AKA1234", PlateKind.NewEnergySmall, PlateColour.Green },
        { "粤B12345D", PlateKind.NewEnergyLarge, PlateColour.Green },
        { "川A98765F", PlateKind.NewEnergyLarge, PlateColour.Green },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_EveryPlateKind_IsAcceptedWithItsKindAndColour(string text, PlateKind kind, PlateColour colour)
    {
        Assert.True(PlateGrammar.TryParse(text, out var plate, out var error), error?.English);
        Assert.Equal(text, plate.Text);
        Assert.Equal(kind, plate.Kind);
        Assert.Equal(colour, plate.ImpliedColour);
        Assert.Equal(text[0], plate.Province);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "no plate characters" },
        { "·- ", "no plate characters" },
        { "京A1234", "6 plate characters" },
        { "京AD123456", "9 plate characters" },
        { "AA12345", "position 1 must be a province" },
        { "港A12345", "position 1 must be a province" },
        { "京112345", "position 2 must be a letter" },
        { "京I12345", "position 2 must be a letter" },
        { "京O12345", "position 2 must be a letter" },
        { "京A1警345", "position 4 must be a letter" },
        { "京A1234京", "position 7 must be a letter, a digit or one of" },
        { "京AX12345", "neither a small new-energy plate" },   // X is not an energy letter
        { "京AD1234X", "neither a small new-energy plate" },   // small: the last four are digits
        { "京A1234XD", "neither a small new-energy plate" },   // large: five digits before the energy letter
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void TryParse_InvalidText_SaysWhatIsWrong(string text, string message)
    {
        Assert.False(PlateGrammar.TryParse(text, out _, out var error));
        Assert.Contains(message, error.English, StringComparison.Ordinal);
        Assert.False(PlateGrammar.IsValid(text));
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatExceptionNamingTheInput()
    {
        var e = Assert.Throws<FormatException>(() => PlateGrammar.Parse("京A12"));
        Assert.Contains("'京A12'", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Noise => new()
    {
        { "京A·12345", "京A12345" },
        { "京A-12345", "京A12345" },
        { " 京 A 12 345 ", "京A12345" },
        { "京a12345", "京A12345" },
        { "京Ａ１２３４５", "京A12345" },            // full-width forms
        { "京AO12I5", "京A01215" },                  // O and I after the second position
        { "京A1234O", "京A12340" },
        { "京OA1234", "京OA1234" },                  // the second position is left alone: the grammar rejects it
        { "皖K·D01833", "皖KD01833" },
        { "冀D5L690。", "冀D5L690" },                 // any other character is not a plate character
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Noise))]
    public void Normalise_OcrNoise_LeavesOnlyPlateCharacters(string raw, string normal) =>
        Assert.Equal(normal, PlateGrammar.Normalise(raw));

    [Fact]
    public void AllowedAt_EveryPosition_AdmitsExactlyTheCharactersOfValidPlates()
    {
        foreach (var (text, _, _) in Valid.Select(row => ((string)row[0], row[1], row[2])))
        {
            for (var i = 0; i < text.Length; i++)
            {
                Assert.Contains(text[i], PlateGrammar.AllowedAt(i, text.Length));
            }
        }

        Assert.DoesNotContain('I', PlateGrammar.AllowedAt(1, 7));
        Assert.DoesNotContain('O', PlateGrammar.AllowedAt(3, 7));
        Assert.DoesNotContain('警', PlateGrammar.AllowedAt(5, 7));
        Assert.Equal(PlateGrammar.Digits, PlateGrammar.AllowedAt(5, 8));
        Assert.Equal(string.Empty, PlateGrammar.AllowedAt(0, 6));
        Assert.Equal(string.Empty, PlateGrammar.AllowedAt(8, 8));
        Assert.Equal(31, PlateGrammar.Provinces.Length);
    }
}
