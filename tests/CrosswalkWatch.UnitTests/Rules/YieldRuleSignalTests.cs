using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Decision.Signals;
using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Domain.Signals;
using CrosswalkWatch.Domain.Violations;
using static CrosswalkWatch.Testing.Script;

namespace CrosswalkWatch.UnitTests.Rules;

/// <summary>
/// The yield rule with a pedestrian signal (DOMAIN.md: a pedestrian who started on the red pedestrian signal is
/// excluded): the state when a pedestrian first steps into the motor lanes on the crosswalk decides, whatever the
/// signal shows later; without a signal, or with a green one, the rule judges as it always did. The southbound car in
/// S1 crosses the line at t ≈ 1.4–1.8 s (see <see cref="YieldRuleTests"/>).
/// </summary>
public class YieldRuleSignalTests
{
    private static readonly SignalReading Red = SignalReading.Of(SignalState.Red, SignalSource.Image);
    private static readonly SignalReading Green = SignalReading.Of(SignalState.Green, SignalSource.Image);

    /// <summary>Waits on the east sidewalk, steps into S2 at t = 1.0 s and into S1 at t = 2.0 s.</summary>
    private static ScriptedObject Crosser(int id = 2) => Walker(id, (0, 0.75, 0.6), (0.5, 0.75, 0.6), (3.5, 0.45, 0.6));

    private static List<ViolationCandidate> Run(Func<double, SignalReading?> signal, params ScriptedObject[] objects)
    {
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var candidates = new List<ViolationCandidate>();
        foreach (var frame in Frames(6, 5, objects))
        {
            candidates.AddRange(rule.Update(frame with { Signal = signal((frame.CapturedAt - Start).TotalSeconds) }));
        }

        candidates.AddRange(rule.Flush());
        Assert.Equal(0, rule.TrackedStates);
        return candidates;
    }

    [Fact]
    public void Update_StartedOnRed_NeverCounts()
    {
        // On red when stepping in at 1.0 s; green from 1.3 s, before the car crosses: still excluded.
        Assert.Empty(Run(t => t < 1.3 ? Red : Green, Southbound(1), Crosser()));
        Assert.Empty(Run(_ => Red, Southbound(1), Walker(2, (0, 0.56, 0.61), (6, 0.56, 0.61))));
    }

    [Fact]
    public void Update_StartedOnGreen_CountsEvenWhenTheSignalTurnsRedWhileCrossing()
    {
        // Green when stepping in at 1.0 s; red from 1.3 s, while the pedestrian is still in the lane beside the car.
        var candidate = Assert.Single(Run(t => t < 1.3 ? Green : Red, Southbound(1), Crosser()));

        var pedestrian = Assert.Single(candidate.Pedestrians);
        Assert.Equal((2, SignalState.Green), (pedestrian.TrackId, pedestrian.StartedOnSignal));
        Assert.Equal(SignalState.Red, candidate.OnLine.Signal?.State); // the photos show what the signal showed then
        Assert.Equal(SignalState.Green, candidate.BeforeLine.Signal?.State);
    }

    [Fact]
    public void Update_TwoPedestrians_OnlyTheOneWhoStartedOnRedIsExcluded()
    {
        // Pedestrian 2 steps in at 1.0 s on red; pedestrian 3 has stood in S1 since the start, on green.
        var candidate = Assert.Single(Run(t => t < 0.3 ? Green : Red, Southbound(1), Crosser(2), Walker(3, (0, 0.56, 0.61), (6, 0.56, 0.61))));

        Assert.Equal([3], candidate.Pedestrians.Select(p => p.TrackId));
    }

    [Fact]
    public void Update_UnknownOrOffWhenSteppingIn_Counts()
    {
        Assert.Single(Run(t => t < 1.3 ? SignalReading.Of(SignalState.Unknown, SignalSource.Image) : Red, Southbound(1), Crosser()));
        Assert.Single(Run(t => t < 1.3 ? SignalReading.Of(SignalState.Off, SignalSource.Image) : Red, Southbound(1), Crosser()));
    }

    [Theory]
    [MemberData(nameof(YieldRuleTests.Scenarios), MemberType = typeof(YieldRuleTests))]
    public void Update_NoSignalOrAGreenOne_JudgesAsWithout(string scenario, ScriptedObject[] objects, int expected)
    {
        var without = Run(_ => null, objects);
        var green = Run(_ => Green, objects);

        Assert.True(expected == without.Count, $"{scenario}, no signal: expected {expected}, got {without.Count}");
        Assert.True(expected == green.Count, $"{scenario}, green: expected {expected}, got {green.Count}");
        Assert.All(without, c => Assert.Null(c.OnLine.Signal));
        Assert.All(without.SelectMany(c => c.Pedestrians), p => Assert.Null(p.StartedOnSignal));
    }

    [Theory]
    [InlineData(true, 0)]  // the controller's red, fresh: it wins over the green the picture shows
    [InlineData(false, 1)] // its last message long ago: the picture's green
    public void Update_FeedFreshOverThePicture_DecidesWhetherThePedestrianStartedOnRed(bool fresh, int expected)
    {
        var signal = new CrossingSignal(heads: 1, frames: 3, TimeSpan.FromSeconds(3));
        var rule = new YieldRule("cam1", ScriptedScene.Model(), new YieldRuleSettings());
        var candidates = new List<ViolationCandidate>();
        foreach (var frame in Frames(6, 5, Southbound(1), Crosser()))
        {
            signal.ObserveHeads([SignalState.Green]);
            if (fresh)
            {
                signal.Observe(SignalState.Red, frame.CapturedAt.AddSeconds(-0.5)); // the controller repeats its state
            }
            else if (frame.Sequence == 1)
            {
                signal.Observe(SignalState.Red, frame.CapturedAt.AddSeconds(-60));
            }

            candidates.AddRange(rule.Update(frame with { Signal = signal.Current(frame.CapturedAt) }));
        }

        candidates.AddRange(rule.Flush());
        Assert.Equal(expected, candidates.Count);
        Assert.All(candidates, c => Assert.Equal(Green, c.OnLine.Signal));
    }
}
