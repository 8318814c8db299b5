using System.Net;
using System.Net.Sockets;

namespace Webhooks.Server.Tests;

/// <summary>Hands out loopback ports nobody is listening on.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
