namespace CrosswalkWatch.Messaging;

/// <summary>A broker that cannot be reached or refuses us, or a message that cannot be read.</summary>
public sealed class MessagingException : Exception
{
    public MessagingException(string message)
        : base(message)
    {
    }

    public MessagingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
