namespace CrosswalkWatch.Detector.Models;

/// <summary>
/// Frees fixed dimensions of an ONNX model's graph input and output in memory, so that ONNX Runtime accepts tensors
/// of other sizes there: a fully convolutional detector exported for one square size then runs on the letterboxed
/// picture without its padding (<see cref="ModelInput.TrimTo"/>). Only the declared shapes change (each named
/// dimension's fixed value becomes a symbolic one), and the graph's value_info (the exporter's shapes of the inner
/// tensors, at the size it was exported for) is dropped for ONNX Runtime to infer again; the nodes and weights are the
/// verified file's, byte for byte.
/// <para>
/// A minimal reading of the protocol buffer: ModelProto.graph (7) → GraphProto.input (11) / output (12) →
/// ValueInfoProto.type (2) → TypeProto.tensor_type (1) → shape (2) → dim (1) → dim_value (1) becomes dim_param (2).
/// Every other field is copied as it is.
/// </para>
/// </summary>
public static class OnnxShapes
{
    private const int GraphField = 7;
    private const int GraphInputField = 11;
    private const int GraphOutputField = 12;
    private const int GraphValueInfoField = 13;
    private const int NameField = 1;
    private const int TypeField = 2;
    private const int TensorTypeField = 1;
    private const int ShapeField = 2;
    private const int DimField = 1;
    private const int DimValueField = 1;
    private const int DimParamField = 2;

    /// <summary>
    /// The model with dimensions <paramref name="inputDims"/> of input <paramref name="input"/> and
    /// <paramref name="outputDims"/> of output <paramref name="output"/> made symbolic; <paramref name="declared"/> gets
    /// the shapes the file declared for them before (-1 for a dimension that was already symbolic), to check against
    /// the manifest. A name the graph does not have is left out of it and changes nothing.
    /// </summary>
    /// <exception cref="ModelException">The bytes are not a well-formed model.</exception>
    public static byte[] FreeDimensions(byte[] model, string input, IReadOnlyCollection<int> inputDims, string output, IReadOnlyCollection<int> outputDims, IDictionary<string, long[]> declared)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(declared);
        try
        {
            return Rewrite(model, GraphField, graph => RewriteGraph(graph, input, inputDims, output, outputDims, declared));
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException)
        {
            throw new ModelException($"the model is not a well-formed ONNX protocol buffer: {e.Message}", e);
        }
    }

    private static byte[] RewriteGraph(byte[] graph, string input, IReadOnlyCollection<int> inputDims, string output, IReadOnlyCollection<int> outputDims, IDictionary<string, long[]> declared)
    {
        using var result = new MemoryStream(graph.Length + 64);
        foreach (var field in Fields(graph))
        {
            if (field.Number == GraphValueInfoField)
            {
                continue;
            }

            if (field.Number is GraphInputField or GraphOutputField && field.Payload is { } valueInfo)
            {
                var name = Name(valueInfo);
                var dims = field.Number == GraphInputField && name == input ? inputDims
                    : field.Number == GraphOutputField && name == output ? outputDims
                    : null;
                if (dims is not null)
                {
                    var shape = new List<long>();
                    WriteLengthDelimited(result, field.Number, Rewrite(valueInfo, TypeField, type =>
                        Rewrite(type, TensorTypeField, tensor => Rewrite(tensor, ShapeField, dimensions => FreeDims(dimensions, name!, dims, shape)))));
                    declared[name!] = [.. shape];
                    continue;
                }
            }

            result.Write(field.Raw);
        }

        return result.ToArray();
    }

    private static byte[] FreeDims(byte[] shape, string name, IReadOnlyCollection<int> dims, List<long> declared)
    {
        using var result = new MemoryStream(shape.Length + 16);
        foreach (var field in Fields(shape))
        {
            if (field.Number == DimField && field.Payload is { } dim)
            {
                var index = declared.Count;
                declared.Add(DimValue(dim));
                if (dims.Contains(index))
                {
                    WriteLengthDelimited(result, DimField, LengthDelimited(DimParamField, System.Text.Encoding.UTF8.GetBytes($"{name}_{index}")));
                    continue;
                }
            }

            result.Write(field.Raw);
        }

        return result.ToArray();
    }

    /// <summary>A TensorShapeProto.Dimension's dim_value (1), or -1 when it is symbolic.</summary>
    private static long DimValue(byte[] dim)
    {
        foreach (var field in Fields(dim))
        {
            if (field.Number == DimValueField && field.Payload is null)
            {
                var at = 0;
                ReadVarint(field.Raw, ref at); // past the tag
                return (long)ReadVarint(field.Raw, ref at);
            }
        }

        return -1;
    }

    private static string? Name(byte[] valueInfo)
    {
        foreach (var field in Fields(valueInfo))
        {
            if (field.Number == NameField && field.Payload is { } name)
            {
                return System.Text.Encoding.UTF8.GetString(name);
            }
        }

        return null;
    }

    /// <summary>The message with every length-delimited field <paramref name="number"/> replaced by <paramref name="rewrite"/> of it.</summary>
    private static byte[] Rewrite(byte[] message, int number, Func<byte[], byte[]> rewrite)
    {
        using var result = new MemoryStream(message.Length + 64);
        foreach (var field in Fields(message))
        {
            if (field.Number == number && field.Payload is { } payload)
            {
                WriteLengthDelimited(result, number, rewrite(payload));
            }
            else
            {
                result.Write(field.Raw);
            }
        }

        return result.ToArray();
    }

    /// <summary>A message's fields in order: number, the raw bytes (tag included) and, when length-delimited, the payload.</summary>
    private static IEnumerable<(int Number, byte[] Raw, byte[]? Payload)> Fields(byte[] message)
    {
        var at = 0;
        while (at < message.Length)
        {
            var start = at;
            var tag = ReadVarint(message, ref at);
            var number = (int)(tag >> 3);
            byte[]? payload = null;
            switch ((int)(tag & 7))
            {
                case 0:
                    ReadVarint(message, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = checked((int)ReadVarint(message, ref at));
                    payload = message.AsSpan(at, length).ToArray();
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {tag & 7} at byte {start}");
            }

            if (at > message.Length)
            {
                throw new InvalidDataException($"a field at byte {start} runs past the end");
            }

            yield return (number, message[start..at], payload);
        }
    }

    private static ulong ReadVarint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException($"a varint longer than 10 bytes before byte {at}");
    }

    private static byte[] LengthDelimited(int number, byte[] payload)
    {
        using var stream = new MemoryStream(payload.Length + 8);
        WriteLengthDelimited(stream, number, payload);
        return stream.ToArray();
    }

    private static void WriteLengthDelimited(Stream stream, int number, byte[] payload)
    {
        WriteVarint(stream, ((ulong)number << 3) | 2);
        WriteVarint(stream, (ulong)payload.Length);
        stream.Write(payload);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
