using CrosswalkWatch.Decision.Tracking;
using CrosswalkWatch.Domain.Detection;
using static CrosswalkWatch.Testing.TrackingScript;

namespace CrosswalkWatch.UnitTests.Tracking;

public class ByteTrackerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public void Update_EmptyFrames_ReportsAndHoldsNothing(int frames)
    {
        var tracker = new ByteTracker(Camera);

        List<TrackFrame> output = Run(tracker, Times(frames, 0.2).Select(t => Frame(t)));

        Assert.All(output, f => Assert.Empty(f.Tracks));
        Assert.All(output, f => Assert.Empty(f.Retired));
        Assert.Equal(0, tracker.LiveTracks);
    }

    [Fact]
    public void Update_Frame_EchoesCameraSequenceTimeAndThePicturesAspect()
    {
        var tracker = new ByteTracker(Camera);
        FrameDetections frame = Frame(1.5, Pedestrian(0.5, 0.5));

        TrackFrame output = tracker.Update(frame);

        Assert.Equal((frame.CameraId, frame.Sequence, frame.CapturedAt), (output.CameraId, output.Sequence, output.CapturedAt));
        Assert.Equal(640f / 360f, output.Aspect); // 640×360: the rule's speeds count a normalised x as 1.78 normalised y
    }

    [Theory]
    [InlineData(100, 0.2, 0.04, 0.005, 0)]   // 5 fps
    [InlineData(100, 0.0, 0.03, -0.004, 0)]  // uneven 0.1–0.5 s gaps
    [InlineData(25, 0.0, 0.12, 0.0, 3)]      // fast: a 0.5 s gap moves it further than its own width, so only the
                                             // velocity learnt in three first 0.1 s steps keeps it
    public void Update_SingleObjectMovingLinearly_KeepsOneId(int frames, double interval, double vx, double vy, int shortStart)
    {
        var tracker = new ByteTracker(Camera);
        double[] times = Times(shortStart, 0.1).Concat(Times(frames - shortStart, interval, seed: 3).Select(t => t + (0.1 * shortStart))).ToArray();

        List<TrackFrame> output = Run(tracker, times.Select(t => Frame(t, Pedestrian(0.05 + (vx * t), 0.5 + (vy * t)))));

        Assert.Empty(output[0].Tracks); // MinHits 2: reported from the second frame
        Assert.All(output.Skip(1), f => Assert.Single(f.Tracks));
        Assert.Single(output.SelectMany(f => f.Tracks).Select(t => t.TrackId).Distinct());
        Assert.All(output, f => Assert.Empty(f.Retired));
        Assert.Equal(frames, output[^1].Tracks[0].Hits);
        Assert.Equal(Start, output[^1].Tracks[0].FirstSeen);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.4)]
    [InlineData(0.0)] // uneven 0.1–0.5 s
    public void Update_TwoPedestriansCrossingPaths_KeepTheirIds(double interval)
    {
        // An X: A walks right and down, B left and up; at t = 3 s their boxes overlap by IoU 0.45 (0.65 a frame later at 5 fps).
        static DetectedObject A(double t) => Wide(0.2 + (0.1 * t), 0.35 + (0.05 * t));
        static DetectedObject B(double t) => Wide(0.83 - (0.1 * t), 0.65 - (0.05 * t));
        static DetectedObject Wide(double cx, double cy) => new(Box.FromCenter((float)cx, (float)cy, 0.08f, 0.2f), 0.9f, ObjectClass.Pedestrian, 0);
        double[] times = Times(interval > 0 ? (int)(6 / interval) + 1 : 20, interval, seed: 5);
        Assert.True(A(3).Box.IoU(B(3).Box) > 0.4, "the paths do cross");
        var tracker = new ByteTracker(Camera);

        List<TrackFrame> output = Run(tracker, times.Select(t => Frame(t, A(t), B(t))));

        var idsOfA = new HashSet<int>();
        var idsOfB = new HashSet<int>();
        for (int i = 1; i < times.Length; i++)
        {
            idsOfA.Add(WithBox(output[i], A(times[i]).Box)!.TrackId);
            idsOfB.Add(WithBox(output[i], B(times[i]).Box)!.TrackId);
        }

        Assert.Single(idsOfA);
        Assert.Single(idsOfB);
        Assert.NotEqual(idsOfA.Single(), idsOfB.Single());
    }

    [Theory]
    [InlineData(0.8, true, true)]   // empty frames keep arriving while it is hidden
    [InlineData(0.8, false, true)]  // no frames at all (dropped)
    [InlineData(3.0, true, false)]
    [InlineData(3.0, false, false)]
    public void Update_ObjectHidden_SameIdOnlyWithinMaxLost(double hidden, bool emptyFrames, bool sameId)
    {
        // Walks right at 0.05 units/s: after 0.8 s it is 0.04 further, IoU 0.11 with where it was, so prediction matters.
        const double Speed = 0.05;
        var frames = new List<FrameDetections>();
        for (double t = 0; t < 2 - 1e-9; t += 0.2)
        {
            frames.Add(Frame(t, Pedestrian(0.2 + (Speed * t), 0.5)));
        }

        double back = 1.8 + hidden;
        if (emptyFrames)
        {
            for (double t = 2.0; t < back - 1e-9; t += 0.2)
            {
                frames.Add(Frame(t));
            }
        }

        for (double t = back; t < back + 2 - 1e-9; t += 0.2)
        {
            frames.Add(Frame(t, Pedestrian(0.2 + (Speed * t), 0.5)));
        }

        var tracker = new ByteTracker(Camera);

        List<TrackFrame> output = Run(tracker, frames);

        int before = output[1].Tracks.Single().TrackId;
        int after = output[^1].Tracks.Single().TrackId;
        List<int> retired = output.SelectMany(f => f.Retired).ToList();
        if (sameId)
        {
            Assert.Equal(before, after);
            Assert.Empty(retired);
        }
        else
        {
            Assert.True(after > before, "a new id, never a reused one");
            Assert.Equal([before], retired);
            Assert.False(tracker.HoldsState(before));
        }
    }

    [Fact]
    public void Update_DetectionDropsToLowScore_ContinuesTrackInSecondStage()
    {
        var tracker = new ByteTracker(Camera);
        double[] times = Times(20, 0.2);
        static float Score(int i) => i is >= 8 and < 13 ? 0.3f : 0.9f; // half hidden for a second

        List<TrackFrame> output = Run(tracker, times.Select((t, i) => Frame(t, Pedestrian(0.2 + (0.05 * t), 0.5, Score(i)))));

        int id = output[1].Tracks.Single().TrackId;
        for (int i = 8; i < 13; i++)
        {
            TrackedObject track = Assert.Single(output[i].Tracks);
            Assert.Equal(id, track.TrackId);
            Assert.Equal(0.3f, track.Score);
        }

        Assert.All(output.Skip(1), f => Assert.Equal(id, Assert.Single(f.Tracks).TrackId));
    }

    [Theory]
    [InlineData(0.5f, new float[0])]              // nothing at all
    [InlineData(0.5f, new[] { 0.05f })]           // below LowScore: ignored
    [InlineData(0.5f, new[] { 0.3f })]            // low: only continues tracks
    [InlineData(0.6f, new[] { 0.55f })]           // high but below NewTrackScore
    [InlineData(0.6f, new[] { 0.3f, 0.55f, 0.05f })]
    public void Update_DetectionsTooWeakToStartATrack_ReportNothing(float newTrackScore, float[] scores)
    {
        var tracker = new ByteTracker(Camera, new TrackerSettings { NewTrackScore = newTrackScore });
        var frames = Times(10, 0.2).Select(t => Frame(t, scores.Select((s, i) => Pedestrian(0.2 + (0.2 * i), 0.5, s)).ToArray()));

        List<TrackFrame> output = Run(tracker, frames);

        Assert.All(output, f => Assert.Empty(f.Tracks));
        Assert.Equal(0, tracker.LiveTracks);
    }

    [Theory]
    [InlineData(0.52f, 0.35f)] // a vehicle at night: its score hovers about HighScore
    [InlineData(0.7f, 0.3f)]   // half hidden from its second frame on
    public void Update_NewTrackWhoseNextDetectionIsLow_IsConfirmedOnItsSecondFrame(float first, float then)
    {
        var tracker = new ByteTracker(Camera);
        double[] times = Times(8, 0.2);

        List<TrackFrame> output = Run(tracker, times.Select((t, i) => Frame(t, Vehicle(0.3 + (0.03 * t), 0.5, i % 2 == 0 ? first : then))));

        Assert.Empty(output[0].Tracks);
        int id = Assert.Single(output[1].Tracks).TrackId;
        Assert.Equal(then, output[1].Tracks[0].Score);
        Assert.All(output.Skip(1), f => Assert.Equal(id, Assert.Single(f.Tracks).TrackId));
    }

    [Theory]
    [InlineData(false)] // the pedestrian is not detected while the vehicle is there
    [InlineData(true)]  // both detected at the same place
    public void Update_VehicleAtPedestriansPlace_DoesNotTakeItsId(bool pedestrianToo)
    {
        var frames = new List<FrameDetections>();
        for (int i = 0; i < 20; i++)
        {
            double t = i * 0.2;
            bool vehicle = i is >= 5 and < 10;
            var items = new List<DetectedObject>();
            if (!vehicle || pedestrianToo)
            {
                items.Add(Pedestrian(0.5, 0.5));
            }

            if (vehicle)
            {
                items.Add(Vehicle(0.5, 0.5));
            }

            frames.Add(Frame(t, [.. items]));
        }

        var tracker = new ByteTracker(Camera);

        List<TrackFrame> output = Run(tracker, frames);

        int pedestrian = output[1].Tracks.Single().TrackId;
        List<TrackedObject> vehicles = output.SelectMany(f => f.Tracks).Where(t => t.Class == ObjectClass.MotorVehicle).ToList();
        Assert.Equal(4, vehicles.Count); // frames 6–9: confirmed on its second frame
        Assert.All(vehicles, v => Assert.NotEqual(pedestrian, v.TrackId));
        Assert.All(
            output.SelectMany(f => f.Tracks).Where(t => t.Class == ObjectClass.Pedestrian),
            p => Assert.Equal(pedestrian, p.TrackId));
        Assert.Equal(pedestrian, output[^1].Tracks.Single().TrackId); // back after 1 s, within MaxLostSeconds
    }

    [Fact]
    public void Update_OneBoxOverAWaitingCarAndOnePassingInFrontOfIt_TakesNeithersId()
    {
        // A car waits at (0.40, 0.55); another drives down past it, nearer the camera, from frame 0. For frames 6–9 the
        // detector boxes both as one box that holds most of each (the waiting car's top, the passing car's bottom).
        var waiting = new Box(0.32f, 0.50f, 0.48f, 0.60f);
        var frames = new List<FrameDetections>();
        for (int i = 0; i < 14; i++)
        {
            float y = 0.42f + (0.025f * i);
            var passing = new Box(0.30f, y, 0.48f, y + 0.12f);
            DetectedObject[] items = i is >= 6 and < 10
                ? [new(new Box(0.30f, 0.50f, 0.48f, y + 0.12f), 0.8f, ObjectClass.MotorVehicle, 2)]
                : [new(waiting, 0.9f, ObjectClass.MotorVehicle, 2), new(passing, 0.9f, ObjectClass.MotorVehicle, 2)];
            frames.Add(Frame(i * 0.2, items));
        }

        List<TrackFrame> output = Run(new ByteTracker(Camera), frames);

        int waitingId = Assert.Single(output[5].Tracks, t => t.Box == waiting).TrackId;
        int passingId = Assert.Single(output[5].Tracks, t => t.Box != waiting).TrackId;
        Assert.Empty(output[6].Tracks); // the merged box is neither's while both were tracked
        Assert.All(output.SelectMany(f => f.Tracks).Where(t => t.TrackId == waitingId), t => Assert.Equal(waiting, t.Box)); // never carried off
        Assert.Equal(waitingId, Assert.Single(output[^1].Tracks, t => t.Box == waiting).TrackId); // coasted through
        Assert.All(output.SelectMany(f => f.Tracks).Where(t => t.TrackId == passingId), t => Assert.NotEqual(waiting, t.Box));
    }

    [Theory]
    [InlineData(0.61f, true)]  // the glare scores above the dimly lit car (seed 831999, clip 130, at night)
    [InlineData(0.61f, false)] // the car alone
    [InlineData(0.30f, true)]  // the glare low as well
    public void Update_GlareBoxedInsideTheCarAtItsFront_DoesNotCarryTheCarsTrack(float glareScore, bool glare)
    {
        // A car drives down at night, boxed with a low score from frame 3; from frame 5 the glare between its
        // headlights is boxed too, small, at the front of the car's box (its bottom), scoring above it.
        var frames = new List<FrameDetections>();
        for (int i = 0; i < 12; i++)
        {
            float y = 0.50f + (0.01f * i);
            var car = new Box(0.33f, y, 0.49f, y + 0.13f);
            var front = new Box(0.41f, y + 0.07f, 0.48f, y + 0.135f);
            List<DetectedObject> items = [new(car, i < 3 ? 0.8f : 0.35f, ObjectClass.MotorVehicle, 2)];
            if (glare && i >= 5)
            {
                items.Add(new(front, glareScore, ObjectClass.MotorVehicle, 2));
            }

            frames.Add(Frame(i * 0.2, [.. items]));
        }

        List<TrackFrame> output = Run(new ByteTracker(Camera), frames);

        int id = Assert.Single(output[1].Tracks).TrackId;
        for (int i = 1; i < output.Count; i++)
        {
            TrackedObject track = Assert.Single(output[i].Tracks); // the glare is neither the car's track nor one of its own
            Assert.Equal(id, track.TrackId);
            Assert.True(track.Box.Height > 0.12f, $"frame {i}: the car's track is on the {track.Box} box");
        }
    }

    [Fact]
    public void Update_CarBehindAnotherInsideItsBox_IsStillTracked()
    {
        // A small car farther up the road, seen over the bonnet of a big one: inside its box, but ending well above its
        // bottom, so it is no part of it.
        var near = new Box(0.30f, 0.45f, 0.60f, 0.75f);
        var far = new Box(0.40f, 0.46f, 0.50f, 0.55f);
        List<TrackFrame> output = Run(new ByteTracker(Camera), Times(6, 0.2).Select(t => Frame(t,
            new DetectedObject(near, 0.9f, ObjectClass.MotorVehicle, 2), new DetectedObject(far, 0.9f, ObjectClass.MotorVehicle, 2))));

        Assert.Equal(2, output[^1].Tracks.Count);
    }

    [Theory]
    [InlineData(0.1, 0.0, 0.2)]
    [InlineData(0.1, 0.0, 0.0)]   // uneven gaps
    [InlineData(-0.05, 0.08, 0.2)]
    [InlineData(0.1, 0.0, 0.04)]  // 25 fps
    [InlineData(0.0, 0.0, 0.2)]   // standing still
    public void Update_ObjectAtConstantVelocity_ReportsItInUnitsPerSecond(double vx, double vy, double interval)
    {
        var tracker = new ByteTracker(Camera);
        double[] times = Times(interval == 0.04 ? 100 : 20, interval, seed: 7);

        List<TrackFrame> output = Run(tracker, times.Select(t => Frame(t, Pedestrian(0.5 + (vx * t), 0.5 + (vy * t)))));

        foreach (TrackFrame frame in output.Skip(times.Length / 2))
        {
            TrackedObject track = Assert.Single(frame.Tracks);
            Assert.InRange(track.VelocityX, vx - 0.01, vx + 0.01);
            Assert.InRange(track.VelocityY, vy - 0.01, vy + 0.01);
        }
    }

    [Fact]
    public void Update_TwentyThousandFramesOfComingAndGoing_LiveTracksStayBoundedAndRetiredLeaveNothing()
    {
        // Eight lanes; in each an object walks right for 5–60 frames, then the lane stays empty for 11–30 frames
        // (more than MaxLostSeconds, so the next one is a new object, never mistaken for the last). Lanes are 0.11
        // apart and boxes 0.2 high, so neighbours overlap (IoU up to 0.29) and association has real choices to make.
        const int Lanes = 8;
        const int Frames = 20_000;
        const double Interval = 0.2;
        double maxLost = new TrackerSettings().MaxLostSeconds;
        var random = new Random(42);
        var presentUntil = new int[Lanes];
        var absentUntil = new int[Lanes];
        var startedAt = new int[Lanes];
        var lastSeen = Enumerable.Repeat(double.NegativeInfinity, Lanes).ToArray();
        for (int lane = 0; lane < Lanes; lane++)
        {
            absentUntil[lane] = random.Next(0, 30);
            presentUntil[lane] = -1;
        }

        var tracker = new ByteTracker(Camera);
        var reported = new HashSet<int>();
        var retired = new HashSet<int>();
        int objects = 0;
        int maxLive = 0;
        var items = new List<DetectedObject>();
        for (int i = 0; i < Frames; i++)
        {
            double t = i * Interval;
            items.Clear();
            for (int lane = 0; lane < Lanes; lane++)
            {
                if (i == absentUntil[lane] && i < Frames - 100)
                {
                    startedAt[lane] = i;
                    presentUntil[lane] = i + random.Next(5, 61);
                    objects++;
                }

                if (i >= startedAt[lane] && i < presentUntil[lane])
                {
                    items.Add(Pedestrian(0.05 + (0.03 * (i - startedAt[lane]) * Interval), 0.1 + (0.11 * lane)));
                    lastSeen[lane] = t;
                }
                else if (i == presentUntil[lane])
                {
                    absentUntil[lane] = i + random.Next(11, 31);
                }
            }

            TrackFrame output = tracker.Update(Frame(t, [.. items]));

            foreach (TrackedObject track in output.Tracks)
            {
                Assert.DoesNotContain(track.TrackId, retired);
                reported.Add(track.TrackId);
            }

            foreach (int id in output.Retired)
            {
                Assert.True(retired.Add(id), $"id {id} retired twice");
                Assert.False(tracker.HoldsState(id));
            }

            int recent = lastSeen.Count(seen => t - seen <= maxLost + 1e-6);
            Assert.True(tracker.LiveTracks <= recent, $"frame {i}: {tracker.LiveTracks} live tracks, {recent} objects seen within {maxLost} s");
            maxLive = Math.Max(maxLive, tracker.LiveTracks);
        }

        double end = Frames * Interval;
        foreach (double t in new[] { end, end + 1, end + 2 })
        {
            foreach (int id in tracker.Update(Frame(t)).Retired)
            {
                Assert.True(retired.Add(id), $"id {id} retired twice");
            }
        }

        Assert.True(objects > 1000, "the script does come and go");
        Assert.Equal(objects, reported.Count); // one id per object: none lost, none swapped
        Assert.Equal(Enumerable.Range(1, objects), reported.Order());
        Assert.Equal(reported, retired);
        Assert.Equal(0, tracker.LiveTracks);
        Assert.InRange(maxLive, 1, Lanes);
    }

    public static TheoryData<TrackerSettings> BadSettings() =>
    [
        new TrackerSettings { HighScore = 1.5f },
        new TrackerSettings { LowScore = 0.6f },                      // above HighScore
        new TrackerSettings { NewTrackScore = 0.4f },                 // below HighScore
        new TrackerSettings { MatchIoU = 0 },
        new TrackerSettings { LowMatchIoU = float.NaN },
        new TrackerSettings { MaxLostSeconds = -1 },
        new TrackerSettings { MaxLostSeconds = double.PositiveInfinity },
        new TrackerSettings { MinHits = 0 },
    ];

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Constructor_SettingOutOfBounds_Throws(TrackerSettings settings)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByteTracker(Camera, settings));
    }

    [Fact]
    public void Update_OtherCamerasDetections_Throws()
    {
        var tracker = new ByteTracker("other-cam");

        Assert.Throws<ArgumentException>(() => tracker.Update(Frame(0, Pedestrian(0.5, 0.5))));
    }

    [Fact]
    public void Update_MinHitsOne_ReportsFromTheFirstFrame()
    {
        var tracker = new ByteTracker(Camera, new TrackerSettings { MinHits = 1 });

        TrackFrame output = tracker.Update(Frame(0, Pedestrian(0.5, 0.5)));

        Assert.Equal(1, Assert.Single(output.Tracks).TrackId);
    }
}
