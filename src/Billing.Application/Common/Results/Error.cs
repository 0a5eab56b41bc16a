namespace Billing.Application.Common.Results;

/// <summary>An expected failure: safe to show to the caller, never holding internals.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Detail, string? Field = null, TimeSpan? RetryAfter = null)
{
    public static Error NotFound(string code, string detail) => new(ErrorKind.NotFound, code, detail);

    public static Error Conflict(string code, string detail) => new(ErrorKind.Conflict, code, detail);

    public static Error Invalid(string field, string code, string detail) => new(ErrorKind.Validation, code, detail, field);
}
