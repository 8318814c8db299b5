namespace Webhooks.Api.Errors;

/// <summary>Stops a request with a client error from code that cannot return a result, such as parameter binding.</summary>
public sealed class ApiProblemException(int statusCode, string errorCode, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;
}
