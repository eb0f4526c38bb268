using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Matcher.Matching;

namespace CrosswalkWatch.UnitTests.Matching;

public class PlateIndexTests
{
    private static readonly DateOnly Day = new(2026, 11, 28);

    /// <summary>An index over one official per plate (official id = the plate), open-ended from 2020.</summary>
    private static PlateIndex Index(params string[] plates) => PlateIndex.Build(new RegistrySnapshot(
        plates.Select(p => new Official(p, "official of " + p, "市交通运输局", "市委组织部", "")).ToList(),
        plates.Select(p => new RegisteredVehicle(p, p, PlateColour.Blue, VehicleRelation.Own, new DateOnly(2020, 1, 1), null)).ToList()));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("·-")]
    [InlineData("京B99999")]
    [InlineData("XYZ")]
    public void Match_NothingRegisteredClose_IsNoneAndStaysWithPolice(string read)
    {
        var match = Index("京A12345").Match(read, Day);

        Assert.Equal(MatchKind.None, match.Kind);
        Assert.Null(match.Exact);
        Assert.Empty(match.Suggestions);
        Assert.Null(match.PlateForOffice);
        Assert.Null(match.AccountableOfficial);
    }

    [Fact]
    public void Match_EmptyRegistry_IsNone()
    {
        Assert.Equal(MatchKind.None, PlateIndex.Build(RegistrySnapshot.Empty).Match("京A12345", Day).Kind);
    }

    [Theory]
    [InlineData("京A12345")]
    [InlineData("京a·12345")]
    [InlineData("京Ａ１２３４５")] // full-width
    [InlineData("京A1234 5")]
    [InlineData("京AI2345")] // I after the second position is 1 on a plate: normalised, so exact
    [InlineData("京A1234S")] // S is a plate letter: a registered 京A1234S is itself, not 京A12345
    public void Match_NormalisedReadIsRegistered_IsExactAndNamesTheOfficial(string read)
    {
        var match = Index("京A12345", "京A1234S").Match(read, Day);

        Assert.Equal(MatchKind.Exact, match.Kind);
        Assert.Equal(1, match.Exact!.Score);
        Assert.Empty(match.Exact.Doubts);
        Assert.Equal(match.Read, match.Exact.Vehicle.Plate);
        Assert.Equal(match.Read, match.AccountableOfficial!.Id);
        Assert.Equal(match.Read, match.PlateForOffice);
        Assert.Empty(match.Suggestions);
    }

    [Theory]
    [InlineData("京A01234", "京AD1234", 2, '0', 'D')] // D/0
    [InlineData("京AD1234", "京A01234", 2, 'D', '0')]
    [InlineData("京A1O345", "京A1D345", 3, '0', 'D')] // O/0: O is normalised to 0, then 0/D
    [InlineData("京O12345", "京D12345", 1, 'O', 'D')] // O stays a letter in the second position
    [InlineData("京A81234", "京AB1234", 2, '8', 'B')] // B/8
    [InlineData("京AB1234", "京A81234", 2, 'B', '8')]
    [InlineData("京A21234", "京AZ1234", 2, '2', 'Z')] // Z/2
    [InlineData("京AZ1234", "京A21234", 2, 'Z', '2')]
    [InlineData("京A51234", "京AS1234", 2, '5', 'S')] // S/5
    [InlineData("京AS1234", "京A51234", 2, 'S', '5')]
    [InlineData("京A1234I", "京A12341", -1, ' ', ' ')] // I/1: normalised to 1, so exact
    public void Match_OneConfusableCharacter_IsASuggestionNamingIt(string read, string registered, int position, char readChar, char registeredChar)
    {
        var match = Index(registered, "沪C77777").Match(read, Day);

        if (position < 0)
        {
            Assert.Equal(MatchKind.Exact, match.Kind);
            return;
        }

        Assert.Equal(MatchKind.Suggested, match.Kind);
        Assert.Null(match.AccountableOfficial); // a suggestion never counts by itself
        Assert.Null(match.PlateForOffice);
        var only = Assert.Single(match.Suggestions);
        Assert.Equal(registered, only.Vehicle.Plate);
        Assert.Equal([new Doubt(position, readChar, registeredChar)], only.Doubts);
        Assert.Equal(1 - PlateIndex.ConfusionPenalty, only.Score, 3);
    }

    [Fact]
    public void Match_TwoConfusions_ScoreLowerThanOne()
    {
        var match = Index("京AB12S5").Match("京A81255", Day);

        var only = Assert.Single(match.Suggestions);
        Assert.Equal(2, only.Doubts.Count);
        Assert.Equal(1 - (2 * PlateIndex.ConfusionPenalty), only.Score, 3);
    }

    [Fact]
    public void Match_ConfusionThatIsNotInTheTable_IsNone()
    {
        Assert.Equal(MatchKind.None, Index("京A12345").Match("京A12346", Day).Kind);
        Assert.Equal(MatchKind.None, Index("京AQ2345").Match("京A02345", Day).Kind); // Q/0 is not a listed confusion
    }

    [Fact]
    public void Match_OtherProvince_SuggestsWithTheProvinceInDoubt()
    {
        var match = Index("京A12345").Match("津A12345", Day);

        var only = Assert.Single(match.Suggestions);
        Assert.Equal([new Doubt(0, '津', '京')], only.Doubts);
        Assert.Equal(1 - PlateIndex.ProvincePenalty, only.Score, 3);
    }

    [Fact]
    public void Match_ProvinceUnread_SuggestsEveryProvinceWithTheSameRest()
    {
        var match = Index("京A12345", "沪A12345", "沪A12346").Match("?A12345", Day);

        Assert.Equal(MatchKind.Suggested, match.Kind);
        Assert.Equal(["京A12345", "沪A12345"], match.Suggestions.Select(s => s.Vehicle.Plate).Order(StringComparer.Ordinal));
        Assert.All(match.Suggestions, s => Assert.Equal(new Doubt(0, '?', s.Vehicle.Plate[0]), Assert.Single(s.Doubts)));
        Assert.All(match.Suggestions, s => Assert.Equal(1 - PlateIndex.UnreadProvincePenalty, s.Score, 3));
    }

    [Fact]
    public void Match_LowConfidenceWhereItDiffers_CostsLessThanAConfidentMisread()
    {
        var index = Index("京A81234", "沪AB1234");
        double[] sure = [1, 1, 1, 1, 1, 1, 1];
        double[] unsureProvince = [0.1, 1, 1, 1, 1, 1, 1];
        double[] unsureThird = [1, 1, 0.1, 1, 1, 1, 1];

        var confident = index.Match("京AB1234", Day, sure).Suggestions;
        var doubtfulProvince = index.Match("京AB1234", Day, unsureProvince).Suggestions;
        var doubtfulThird = index.Match("京AB1234", Day, unsureThird).Suggestions;

        Assert.Equal(1 - PlateIndex.ConfusionPenalty, confident.Single(s => s.Vehicle.Plate == "京A81234").Score, 3);
        Assert.True(doubtfulThird.Single(s => s.Vehicle.Plate == "京A81234").Score > confident.Single(s => s.Vehicle.Plate == "京A81234").Score);
        Assert.True(doubtfulProvince.Single(s => s.Vehicle.Plate == "沪AB1234").Score > confident.Single(s => s.Vehicle.Plate == "沪AB1234").Score);
        Assert.Equal("京A81234", confident[0].Vehicle.Plate); // a confusion costs less than another province
    }

    [Fact]
    public void Match_ConfidencesOfTheWrongLength_AreIgnored()
    {
        var match = Index("京A81234").Match("京AB1234", Day, [0.1, 0.1]);

        Assert.Equal(1 - PlateIndex.ConfusionPenalty, Assert.Single(match.Suggestions).Score, 3);
    }

    [Theory]
    [InlineData("2023-12-31", false)]
    [InlineData("2024-01-01", true)] // valid_from is inclusive
    [InlineData("2024-12-31", true)] // valid_to is inclusive
    [InlineData("2025-01-01", false)]
    public void Match_ValidityEdges_AreInclusive(string date, bool matches)
    {
        var index = PlateIndex.Build(new RegistrySnapshot(
            [new Official("F1", "甲", "市城市管理局", "市委组织部", "")],
            [
                new RegisteredVehicle("F1", "京A12345", PlateColour.Blue, VehicleRelation.Official, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)),
                new RegisteredVehicle("F1", "京A8B888", PlateColour.Blue, VehicleRelation.Official, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)),
            ]));
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(matches ? MatchKind.Exact : MatchKind.None, index.Match("京A12345", day).Kind);
        Assert.Equal(matches ? MatchKind.Suggested : MatchKind.None, index.Match("京A88888", day).Kind); // suggestions respect validity too
    }

    [Fact]
    public void Match_OpenEnded_MatchesAnyLaterDate()
    {
        Assert.Equal(MatchKind.Exact, Index("京A12345").Match("京A12345", new DateOnly(2099, 12, 31)).Kind);
    }

    [Theory]
    [InlineData("2025-06-30", "F1")]
    [InlineData("2025-07-01", "F2")]
    [InlineData("2024-01-01", "F1")]
    [InlineData("2026-11-28", "F2")]
    public void Match_PlateReassignedBetweenTwoOfficials_DateDecidesWhose(string date, string official)
    {
        var index = PlateIndex.Build(new RegistrySnapshot(
            [new Official("F1", "甲", "市交通运输局", "市委组织部", ""), new Official("F2", "乙", "市城市管理局", "区委组织部", "")],
            [
                new RegisteredVehicle("F1", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2020, 1, 1), new DateOnly(2025, 6, 30)),
                new RegisteredVehicle("F2", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2025, 7, 1), null),
            ]));

        var exact = index.Match("京A12345", DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)).Exact;

        Assert.Equal(official, exact!.Official.Id);
    }

    [Fact]
    public void Build_VehicleOfAnUnknownOfficial_IsLeftOut()
    {
        var index = PlateIndex.Build(new RegistrySnapshot(
            [],
            [new RegisteredVehicle("nobody", "京A12345", PlateColour.Blue, VehicleRelation.Own, new DateOnly(2020, 1, 1), null)]));

        Assert.Equal(0, index.Vehicles);
        Assert.Equal(MatchKind.None, index.Match("京A12345", Day).Kind);
    }

    [Fact]
    public void Match_ManyCandidates_KeepsTheBestFewBestFirst()
    {
        var plates = PlateGrammar.Provinces.Select(p => p + "A12345").ToArray();

        var match = Index(plates).Match("A12345", Day);

        Assert.Equal(PlateIndex.MaxSuggestions, match.Suggestions.Count);
        Assert.Equal(match.Suggestions.OrderByDescending(s => s.Score).Select(s => s.Vehicle.Plate), match.Suggestions.Select(s => s.Vehicle.Plate));
    }
}
