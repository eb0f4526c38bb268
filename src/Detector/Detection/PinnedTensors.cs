using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrosswalkWatch.Detector.Detection;

/// <summary>
/// One session run over float arrays pinned for the call: the tensors are views of the arrays (no copies into or
/// out of ONNX Runtime), and the pins and tensors live only for the call. Shared by every model of this project.
/// </summary>
internal static class PinnedTensors
{
    /// <summary>
    /// Runs <paramref name="session"/> on the first <paramref name="inputLength"/> floats of <paramref name="input"/>
    /// as <paramref name="inputShape"/>; ONNX Runtime writes the output in place into <paramref name="output"/>.
    /// </summary>
    /// <exception cref="OnnxRuntimeException">The run failed; the caller wraps it in its own exception.</exception>
    public static void Run(
        InferenceSession session,
        RunOptions runOptions,
        string[] inputNames,
        long[] inputShape,
        float[] input,
        int inputLength,
        string[] outputNames,
        long[] outputShape,
        float[] output,
        int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, inputLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, outputLength);
        GCHandle inputPin = GCHandle.Alloc(input, GCHandleType.Pinned);
        GCHandle outputPin = GCHandle.Alloc(output, GCHandleType.Pinned);
        try
        {
            using OrtValue inputValue = OrtValue.CreateTensorValueWithData(
                OrtMemoryInfo.DefaultInstance, TensorElementType.Float, inputShape, inputPin.AddrOfPinnedObject(), (long)inputLength * sizeof(float));
            using OrtValue outputValue = OrtValue.CreateTensorValueWithData(
                OrtMemoryInfo.DefaultInstance, TensorElementType.Float, outputShape, outputPin.AddrOfPinnedObject(), (long)outputLength * sizeof(float));
            session.Run(runOptions, inputNames, [inputValue], outputNames, [outputValue]);
        }
        finally
        {
            outputPin.Free();
            inputPin.Free();
        }
    }
}
