namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>
/// Base of the API test classes: gives each test the class's server and, after the test, fails it if any
/// response it received was a 5xx (the API answers every client mistake with a 4xx).
/// </summary>
public abstract class ApiTest : IDisposable
{
    private readonly int _serverErrorsBefore;

    protected ApiTest(ApiServer server)
    {
        Server = server;
        _serverErrorsBefore = server.Responses.ServerErrors.Count;
    }

    protected ApiServer Server { get; }

    public void Dispose()
    {
        var errors = Server.Responses.ServerErrors.Skip(_serverErrorsBefore).ToArray();
        Assert.True(errors.Length == 0, "The server answered with 5xx: " + string.Join("; ", errors));
        GC.SuppressFinalize(this);
    }
}
