namespace Webhooks.Api.Validation;

/// <summary>Checks one kind of request body; an empty result means valid.</summary>
public interface IRequestValidator<in T>
{
    /// <summary>Field name to the one message that says what is wrong with it.</summary>
    IReadOnlyDictionary<string, string> Validate(T request);
}
