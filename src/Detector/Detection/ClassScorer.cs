using CrosswalkWatch.Domain.Detection;
using CrosswalkWatch.Domain.Officials;

namespace CrosswalkWatch.Detector.Detection;


/// <summary>
/// The part of postprocessing every detector head shares: the cell's class is its best label (as the reference
/// YOLOX and FastestDet postprocess it), kept only when that label counts as an <see cref="ObjectClass"/> (COCO
/// person → pedestrian, bicycle → non-motor, car/bus/truck/motorcycle → motor vehicle; other labels dropped), scored
/// by the manifest's formula <c>obj^a · cls^b</c>.
/// </summary>
internal sealed class ClassScorer
{
    private readonly ObjectClass?[] _classOf;
    private readonly VehicleKind?[] _kindOf;
    private readonly float _objExponent;
    private readonly float _clsExponent;

    private ClassScorer(ObjectClass?[] classOf, VehicleKind?[] kindOf, float objExponent, float clsExponent)
    {
        _classOf = classOf;
        _kindOf = kindOf;
        _objExponent = objExponent;
        _clsExponent = clsExponent;
    }

    /// <summary>The object class a label name stands for, or null for labels the detector drops.</summary>
    public static ObjectClass? ClassOf(string label) => label.Trim().ToUpperInvariant() switch
    {
        "PERSON" => ObjectClass.Pedestrian,
        "BICYCLE" => ObjectClass.NonMotor,
        "CAR" or "BUS" or "TRUCK" or "MOTORCYCLE" or "MOTORBIKE" => ObjectClass.MotorVehicle,
        _ => null,
    };

    /// <summary>Null when no label maps to an object class.</summary>
    public static ClassScorer? Create(IReadOnlyList<string> labels, double objExponent, double clsExponent)
    {
        var classOf = new ObjectClass?[labels.Count];
        var kindOf = new VehicleKind?[labels.Count];
        bool any = false;
        for (int i = 0; i < labels.Count; i++)
        {
            classOf[i] = ClassOf(labels[i]);
            kindOf[i] = classOf[i] == ObjectClass.MotorVehicle ? VehicleNames.KindOfDetectorLabel(labels[i]) : null;
            any |= classOf[i] is not null;
        }

        return any ? new ClassScorer(classOf, kindOf, (float)objExponent, (float)clsExponent) : null;
    }

    /// <summary>The lowest objectness that can still reach <paramref name="threshold"/> (class scores are at most 1).</summary>
    public float MinObjectness(float threshold) =>
        _objExponent == 0 ? 0 : _objExponent == 1 ? threshold : MathF.Pow(threshold, 1 / _objExponent);

    /// <summary>
    /// For one cell with objectness <paramref name="obj"/> and class scores at
    /// <c>output[classOffset + label * classStride]</c>: adds the detection of its best label when that label maps to
    /// an object class and the score reaches <paramref name="threshold"/>.
    /// </summary>
    public void Emit(
        ReadOnlySpan<float> output, int classOffset, int classStride, float obj, float threshold, Box box, DetectionBuffer into)
    {
        float best = float.NegativeInfinity;
        int bestLabel = -1;
        for (int label = 0, at = classOffset; label < _classOf.Length; label++, at += classStride)
        {
            float value = output[at];
            if (value > best)
            {
                best = value;
                bestLabel = label;
            }
        }

        if (bestLabel < 0 || _classOf[bestLabel] is not { } objectClass || !(best > 0))
        {
            return;
        }

        float score = (_objExponent == 1 ? obj : MathF.Pow(obj, _objExponent)) * (_clsExponent == 1 ? best : MathF.Pow(best, _clsExponent));
        if (score >= threshold)
        {
            into.Add(new DetectedObject(box, score, objectClass, bestLabel, _kindOf[bestLabel]));
        }
    }
}
