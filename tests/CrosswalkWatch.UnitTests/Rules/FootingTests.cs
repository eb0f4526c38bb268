using CrosswalkWatch.Decision.Rules;
using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.UnitTests.Rules;

public class FootingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    private static Box Person(float top, float bottom) => new(0.50f, top, 0.54f, bottom);

    /// <summary>Three boxes 0.40–0.60 in a row, the last at <see cref="T0"/>: the usual height (0.2) is known.</summary>
    private static void Learn(Footing footing)
    {
        for (var i = 2; i >= 0; i--)
        {
            footing.Estimate(Person(0.40f, 0.60f), T0.AddSeconds(-0.2 * i));
        }
    }

    [Fact]
    public void Estimate_SoundBoxesWalkingSlowlyNearer_AreTakenAsTheyAre()
    {
        var footing = new Footing();
        for (var i = 0; i < 20; i++)
        {
            var box = Person(0.40f + (0.002f * i), 0.60f + (0.004f * i)); // growing 2 % a frame as it nears
            Assert.Equal(box, footing.Estimate(box, T0.AddSeconds(i * 0.2)));
        }

        Assert.False(footing.Estimated);
    }

    [Theory]
    [InlineData(0.66f)] // stretched down by a bollard
    [InlineData(0.55f)] // cut short by a car in front
    public void Estimate_HeightChangedAtOnceFromBelow_PutsTheBottomWhereTheUsualHeightDoes(float bottom)
    {
        var footing = new Footing();
        Learn(footing);

        var estimated = footing.Estimate(Person(0.40f, bottom), T0.AddSeconds(0.2));

        Assert.Equal(0.60f, estimated.Y2, 3);
        Assert.True(footing.Estimated);
        Assert.Equal(0.601f, footing.Estimate(Person(0.401f, bottom), T0.AddSeconds(0.4)).Y2, 3); // still so: its top and usual height
        Assert.Equal(0.61f, footing.Estimate(Person(0.405f, 0.61f), T0.AddSeconds(0.6)).Y2, 3); // back to its height: as it is
        Assert.False(footing.Estimated);
    }

    [Fact]
    public void Estimate_FirstBoxOdd_DoesNotBecomeTheUsualHeight()
    {
        // Seed 616699's short-occlusion clip: the track's first box had a sign post merged in (0.39 high), the next ones
        // are the pedestrian (0.28, 0.24, 0.24 …); learnt from the first, they read as cut and the feet went 0.12 too low.
        var footing = new Footing();
        footing.Estimate(new Box(0.226f, 0.461f, 0.289f, 0.850f), T0, 16f / 9);
        footing.Estimate(new Box(0.250f, 0.546f, 0.303f, 0.830f), T0.AddSeconds(0.2), 16f / 9);
        var box = new Box(0.261f, 0.584f, 0.314f, 0.823f);

        Assert.Equal(box, footing.Estimate(box, T0.AddSeconds(0.4), 16f / 9));
        Assert.False(footing.Estimated);
    }

    [Fact]
    public void Estimate_StretchedFromBelowOverTwoFrames_PutsTheBottomWhereTheUsualHeightDoes()
    {
        // Seed 771925's night median-refuge clip: a sign post merged into the standing pedestrian's box over two
        // frames, 0.20 → 0.215 → 0.23 high, each step under the share; the refuge then read as a lane.
        var footing = new Footing();
        for (var i = 0; i < 5; i++)
        {
            footing.Estimate(Person(0.40f, 0.60f), T0.AddSeconds(i * 0.2));
        }

        footing.Estimate(Person(0.40f, 0.63f), T0.AddSeconds(1.0));
        var estimated = footing.Estimate(Person(0.40f, 0.66f), T0.AddSeconds(1.2));

        Assert.True(footing.Estimated);
        Assert.InRange(estimated.Y2, 0.60f, 0.62f);
    }

    [Fact]
    public void Estimate_StretchedFromBelowFrameByFrame_PutsTheBottomWhereTheReferenceHeightDoes()
    {
        // Seed 621748's median-refuge clips: a pedestrian stopping on the refuge, its kerb merging into the box a little
        // more each frame (under the share in each, so the usual height followed), the top in place; the box's
        // bottom ended in the lane beside the refuge, and the pedestrian counted against a car.
        var footing = new Footing();
        Learn(footing);
        float[] bottoms = [0.61f, 0.62f, 0.63f, 0.645f, 0.66f, 0.655f, 0.635f, 0.66f];
        var estimated = bottoms.Select((bottom, i) => footing.Estimate(Person(0.40f, bottom), T0.AddSeconds(0.2 * (i + 1))).Y2).ToList();

        Assert.Equal([0.61f, 0.62f, 0.63f], estimated[..3]); // under the share from the reference: as they are
        Assert.All(estimated[4..], y => Assert.Equal(0.60f, y, 3)); // past it, and while it flickers about its edge
        Assert.True(footing.Estimated);
    }

    [Fact]
    public void Estimate_StretchedInOneFrameUnderTheShare_TopHeld_PutsTheBottomWhereTheUsualHeightDoes()
    {
        // Seed 849141's median-refuge clip at 5 fps: as the pedestrian stopped on the refuge its kerb merged into the
        // box, 13 % taller in one frame from below (under the share of 20 %), the feet read in the lane beside it.
        var footing = new Footing();
        Learn(footing);

        var stretched = footing.Estimate(Person(0.401f, 0.627f), T0.AddSeconds(0.2));

        Assert.True(footing.Estimated);
        Assert.Equal(0.60f, stretched.Y2, 2);
    }

    [Fact]
    public void Estimate_WalkingNearer_FeetAndHeadMoveTogether_TakenAsItIs()
    {
        // Nearer the camera each frame: the feet 3 % of the height lower, the head half as far (seen from above).
        var footing = new Footing();
        Learn(footing);
        for (var i = 1; i <= 6; i++)
        {
            var box = Person(0.40f + (0.003f * i), 0.60f + (0.006f * i));
            Assert.Equal(box, footing.Estimate(box, T0.AddSeconds(0.2 * i)));
        }

        // A step of 13 % with the head moving along by a third of it: walking (or running) nearer, not a stretch.
        var walking = Person(0.418f + 0.009f, 0.636f + 0.026f);
        Assert.Equal(walking, footing.Estimate(walking, T0.AddSeconds(1.4)));
        Assert.False(footing.Estimated);
    }

    [Fact]
    public void Estimate_BoxBackFromAStretchedLastLearningBox_IsTakenAsItIs()
    {
        // Seed 771925's crossed-separation-line clip at 10 fps: the third box of the track (from which the height was
        // known) was stretched by a kerb, just within the share; the next box, the person again, is not a box cut
        // slowly from that one (before the fix the feet stayed 0.08 low, off the crosswalk, for 5 s).
        var footing = new Footing();
        footing.Estimate(new Box(0.227f, 0.569f, 0.281f, 0.838f), T0, 16f / 9);
        footing.Estimate(new Box(0.235f, 0.579f, 0.286f, 0.846f), T0.AddSeconds(0.1), 16f / 9);
        footing.Estimate(new Box(0.240f, 0.581f, 0.297f, 0.903f), T0.AddSeconds(0.2), 16f / 9);

        Assert.Equal(0.829f, footing.Estimate(new Box(0.251f, 0.587f, 0.299f, 0.829f), T0.AddSeconds(0.3), 16f / 9).Y2, 3);
        Assert.False(footing.Estimated);
    }

    [Fact]
    public void Estimate_TrackStartingWithTheLegsHidden_FollowsTheLegsComingIntoView()
    {
        // Seed 770107's night stops-then-goes clip: the pedestrian's track starts behind the car, boxed from the head to
        // the waist (1.3 times as high as wide in pixels, 16:9), and the box grows as the car moves on (the detector's
        // boxes, 5 a second). Learnt from the first box, the legs coming into view read as a stretch, off the crosswalk.
        Box[] boxes =
        [
            new(0.409f, 0.564f, 0.446f, 0.651f), new(0.418f, 0.566f, 0.457f, 0.667f), new(0.425f, 0.563f, 0.474f, 0.701f),
            new(0.433f, 0.566f, 0.480f, 0.729f), new(0.440f, 0.563f, 0.486f, 0.742f), new(0.446f, 0.559f, 0.495f, 0.756f),
        ];
        var footing = new Footing();
        for (var i = 0; i < boxes.Length; i++)
        {
            Assert.Equal(boxes[i], footing.Estimate(boxes[i], T0.AddSeconds(i * 0.2), 16f / 9));
        }
    }

    [Fact]
    public void Estimate_StretchedLongerThanTheLimitWhileTheHeadMoves_TakesTheNewHeight()
    {
        // The head drifts down by 0.015 (less than the 0.04 that is moving on, more than the 0.01 of standing still).
        var footing = new Footing();
        Learn(footing);
        var stretched = T0.AddSeconds(0.2);
        for (var at = stretched; at < stretched + Footing.Limit; at = at.AddSeconds(0.2))
        {
            Assert.Equal(0.60f, footing.Estimate(Person(0.40f, 0.66f), at).Y2, 3);
        }

        Assert.Equal(0.675f, footing.Estimate(Person(0.415f, 0.675f), stretched + Footing.Limit).Y2, 3);
    }

    [Fact]
    public void Estimate_StretchedLongerThanTheLimitStandingStill_StaysWhereTheFeetAre()
    {
        // Seed 849141's median-refuge clip in shake: waiting on the refuge, the box stretched by its kerb for 6 s.
        var footing = new Footing();
        Learn(footing);
        var stretched = T0.AddSeconds(0.2);
        for (var at = stretched; at <= stretched + (2 * Footing.Limit); at = at.AddSeconds(0.2))
        {
            Assert.Equal(0.60f, footing.Estimate(Person(0.40f + (((at - T0).Ticks / TimeSpan.TicksPerSecond) % 2 * 0.003f), 0.66f), at).Y2, 2);
        }

        Assert.True(footing.Estimated);
    }

    [Fact]
    public void Estimate_SeenAgainAfterAGap_LearnsTheHeightAgain()
    {
        // Seed 616699's short-occlusion clip behind a bus at 10 fps: the track's first boxes were stretched (0.31 high
        // against 0.24) and taught it; out of sight behind the bus for 1.4 s, it came back 0.22 high with its top where
        // it had been, and was taken as cut for five seconds: the feet 0.07 low, off the crosswalk.
        var footing = new Footing();
        Learn(footing);

        var again = T0 + Footing.Gap + TimeSpan.FromSeconds(0.1);

        Assert.Equal(0.55f, footing.Estimate(Person(0.40f, 0.55f), again).Y2, 3);
        Assert.False(footing.Estimated);
    }

    [Fact]
    public void Estimate_TopMovesOnWhileStretched_FollowsTheBoxAgain()
    {
        var footing = new Footing();
        Learn(footing);
        footing.Estimate(Person(0.40f, 0.66f), T0.AddSeconds(0.2));

        Assert.Equal(0.71f, footing.Estimate(Person(0.45f, 0.71f), T0.AddSeconds(0.4)).Y2, 3);
    }

    [Fact]
    public void Estimate_StretchedFromAboveWhileLearning_TakenAsItIsAndNotLearnt()
    {
        // Seed 851979's adjacent-lane clip, compressed, at 10 fps: two boxes of the pedestrian, then three merged with
        // the car behind them (the top up by a third, the bottom held), one frame missed, then the pedestrian again,
        // walking across with the head at one height. The bottoms are the feet throughout.
        var footing = new Footing();
        (float Top, float Bottom)[] boxes =
        [
            (0.569f, 0.820f), (0.548f, 0.834f), (0.462f, 0.826f), (0.462f, 0.828f), (0.458f, 0.855f), (0, 0),
            (0.575f, 0.817f), (0.584f, 0.823f), (0.574f, 0.827f), (0.579f, 0.817f), (0.578f, 0.816f), (0.571f, 0.812f),
            (0.556f, 0.811f), (0.566f, 0.808f), (0.562f, 0.810f), (0.575f, 0.813f), (0.564f, 0.811f), (0.575f, 0.809f),
        ];
        for (var i = 0; i < boxes.Length; i++)
        {
            if (boxes[i].Top > 0)
            {
                var box = new Box(0.21f + (0.005f * i), boxes[i].Top, 0.27f + (0.005f * i), boxes[i].Bottom);
                Assert.Equal(box.Y2, footing.Estimate(box, T0.AddSeconds(0.1 * i)).Y2);
            }
        }

        // Once learnt from the pedestrian's own boxes, a cut one is still caught.
        var cut = new Box(0.31f, 0.575f, 0.37f, 0.74f);
        Assert.True(footing.Estimate(cut, T0.AddSeconds(0.1 * boxes.Length)).Y2 > 0.79f);
    }

    [Fact]
    public void Estimate_StretchedFromAboveOnceLearnt_TakenAsItIsThenTheUsualHeightHolds()
    {
        var footing = new Footing();
        Learn(footing);

        Assert.Equal(0.60f, footing.Estimate(Person(0.30f, 0.60f), T0.AddSeconds(0.2)).Y2); // merged with what is behind
        Assert.Equal(0.605f, footing.Estimate(Person(0.30f, 0.605f), T0.AddSeconds(0.4)).Y2);
        Assert.False(footing.Estimated);
        Assert.Equal(0.60f, footing.Estimate(Person(0.40f, 0.60f), T0.AddSeconds(0.6)).Y2); // themselves again
        Assert.Equal(0.60f, footing.Estimate(Person(0.40f, 0.55f), T0.AddSeconds(0.8)).Y2, 0.005f); // cut: the usual 0.2 still
    }

    [Fact]
    public void Estimate_BoxCutByThePictureEdge_IsTakenAsItIs()
    {
        var footing = new Footing();
        footing.Estimate(new Box(0.50f, 0.80f, 0.54f, 0.99f), T0);

        Assert.Equal(1.0f, footing.Estimate(new Box(0.50f, 0.80f, 0.54f, 1.0f), T0.AddSeconds(0.2)).Y2, 3);
        Assert.Equal(0.90f, footing.Estimate(new Box(0.50f, 0.70f, 0.54f, 0.90f), T0.AddSeconds(0.4)).Y2, 3);
    }
}
