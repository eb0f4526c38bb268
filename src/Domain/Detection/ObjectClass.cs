namespace CrosswalkWatch.Domain.Detection;

/// <summary>What the yield rule cares about; detectors map their own labels (COCO) onto these.</summary>
public enum ObjectClass
{
    /// <summary>A person on foot.</summary>
    Pedestrian,

    /// <summary>A bicycle (ridden or not): a non-motor vehicle, neither yielded to as a pedestrian nor judged as a vehicle.</summary>
    NonMotor,

    /// <summary>Car, bus, truck or motorcycle (a motorcycle rider counts as a vehicle).</summary>
    MotorVehicle,
}
