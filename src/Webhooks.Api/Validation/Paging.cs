namespace Webhooks.Api.Validation;

/// <summary>The <c>pageNumber</c>/<c>pageSize</c> query of every list endpoint: 1-based pages of 1 to 100 items.</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The page asked for, or the validation errors that say why it cannot be served.</summary>
    public static (int Number, int Size, Dictionary<string, string> Errors) Read(int? pageNumber, int? pageSize)
    {
        var number = pageNumber ?? 1;
        var size = pageSize ?? DefaultPageSize;
        var errors = new Dictionary<string, string>();
        if (number < 1)
        {
            errors["pageNumber"] = "The page number starts at 1.";
        }

        if (size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = $"The page size must be between 1 and {MaxPageSize}.";
        }

        return (number, size, errors);
    }
}
