using CrosswalkWatch.Detector.Detection;
using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.UnitTests.Detection;


public sealed class NmsTests
{
    private static readonly Box A = new(0.10f, 0.10f, 0.30f, 0.50f);
    private static readonly Box AShifted = new(0.11f, 0.11f, 0.31f, 0.51f); // IoU with A ≈ 0.86
    private static readonly Box AHalf = new(0.20f, 0.10f, 0.40f, 0.50f);    // IoU with A = 1/3
    private static readonly Box Far = new(0.60f, 0.60f, 0.90f, 0.90f);

    /// <summary>Candidates (box, score, class) and the scores expected to survive, highest first.</summary>
    public static TheoryData<string, DetectedObject[], float[]> Cases => new()
    {
        { "empty input", [], [] },
        { "one box", [D(A, 0.9f, ObjectClass.Pedestrian)], [0.9f] },
        { "overlapping same class merge into the best", [D(AShifted, 0.6f, ObjectClass.Pedestrian), D(A, 0.9f, ObjectClass.Pedestrian)], [0.9f] },
        { "overlapping different classes both stay", [D(A, 0.9f, ObjectClass.Pedestrian), D(AShifted, 0.8f, ObjectClass.MotorVehicle)], [0.9f, 0.8f] },
        { "same class below the IoU both stay", [D(A, 0.9f, ObjectClass.Pedestrian), D(AHalf, 0.8f, ObjectClass.Pedestrian)], [0.9f, 0.8f] },
        { "apart both stay", [D(Far, 0.5f, ObjectClass.MotorVehicle), D(A, 0.7f, ObjectClass.MotorVehicle)], [0.7f, 0.5f] },
        {
            "a suppressed box suppresses nothing",
            [D(A, 0.9f, ObjectClass.NonMotor), D(AShifted, 0.8f, ObjectClass.NonMotor), D(new Box(0.12f, 0.12f, 0.32f, 0.52f), 0.7f, ObjectClass.NonMotor)],
            [0.9f]
        },
        {
            "mixed: per class",
            [
                D(A, 0.4f, ObjectClass.Pedestrian), D(AShifted, 0.95f, ObjectClass.Pedestrian), D(A, 0.5f, ObjectClass.MotorVehicle),
                D(AShifted, 0.6f, ObjectClass.MotorVehicle), D(Far, 0.3f, ObjectClass.Pedestrian),
            ],
            [0.95f, 0.6f, 0.3f]
        },
        {
            "a vehicle's lit front inside it is a part, even scored higher",
            [D(new Box(0.30f, 0.50f, 0.50f, 0.66f), 0.42f, ObjectClass.MotorVehicle), D(new Box(0.36f, 0.56f, 0.43f, 0.625f), 0.51f, ObjectClass.MotorVehicle)],
            [0.42f]
        },
        {
            "a vehicle in front of a bigger one (its foot lower) is not a part",
            [D(new Box(0.30f, 0.40f, 0.60f, 0.66f), 0.8f, ObjectClass.MotorVehicle), D(new Box(0.40f, 0.55f, 0.50f, 0.68f), 0.7f, ObjectClass.MotorVehicle)],
            [0.8f, 0.7f]
        },
        {
            "a pedestrian inside a bigger pedestrian's box stays",
            [D(new Box(0.30f, 0.40f, 0.40f, 0.70f), 0.8f, ObjectClass.Pedestrian), D(new Box(0.32f, 0.45f, 0.38f, 0.65f), 0.7f, ObjectClass.Pedestrian)],
            [0.8f, 0.7f]
        },
        {
            "half inside is not a part",
            [D(new Box(0.30f, 0.50f, 0.50f, 0.66f), 0.8f, ObjectClass.MotorVehicle), D(new Box(0.45f, 0.55f, 0.55f, 0.62f), 0.7f, ObjectClass.MotorVehicle)],
            [0.8f, 0.7f]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Suppress_Candidates_KeepsBestPerOverlappingClass(string name, DetectedObject[] candidates, float[] expected)
    {
        DetectedObject[] copy = [.. candidates];

        int kept = Nms.Suppress(copy, iouThreshold: 0.45f);

        var scores = new float[kept];
        for (int i = 0; i < kept; i++)
        {
            scores[i] = copy[i].Score;
        }

        Assert.True(expected.SequenceEqual(scores), $"{name}: expected [{string.Join(", ", expected)}], kept [{string.Join(", ", scores)}]");
    }

    private static DetectedObject D(Box box, float score, ObjectClass objectClass) => new(box, score, objectClass, 0);
}
