namespace Billing.Application.Common.Results;

/// <summary>The kinds of expected failure; the API maps each to one HTTP status in one place.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    PaymentDeclined,
    RateLimited,
    NotConfigured,
    UpstreamUnavailable,
}

/// <summary>An expected failure: safe to show to the caller, never holding internals.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Detail, string? Field = null, TimeSpan? RetryAfter = null)
{
    public static Error NotFound(string code, string detail) => new(ErrorKind.NotFound, code, detail);

    public static Error Conflict(string code, string detail) => new(ErrorKind.Conflict, code, detail);

    public static Error Invalid(string field, string code, string detail) => new(ErrorKind.Validation, code, detail, field);
}

/// <summary>Either a value or an <see cref="Error"/>.</summary>
public readonly record struct Result<T> : IResultCarrier
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    bool IResultCarrier.Succeeded => IsSuccess;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Code}.");

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? map(Value) : Error!;
}

/// <summary>Marks results so pipeline behaviours can tell a failed outcome without knowing its value type.</summary>
public interface IResultCarrier
{
    bool Succeeded { get; }
}
