using System.Net;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>Thrown while connecting when a listener's host resolves to an address <see cref="NetworkAddressPolicy"/> refuses.</summary>
internal sealed class ListenerAddressRefusedException : Exception
{
    public ListenerAddressRefusedException()
    {
    }

    public ListenerAddressRefusedException(string message)
        : base(message)
    {
    }

    public ListenerAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Refuses <paramref name="address"/>, saying why and how to allow it.</summary>
    public ListenerAddressRefusedException(IPAddress address, string reason)
        : base($"refused: listener address {address} {reason} (set {DeliveryOptions.Section}:{nameof(DeliveryOptions.AllowPrivateNetworks)} to allow)")
    {
        Address = address;
    }

    /// <summary>The address refused.</summary>
    public IPAddress? Address { get; }
}
