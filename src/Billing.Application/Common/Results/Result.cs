namespace Billing.Application.Common.Results;

/// <summary>Either a value or an <see cref="Error"/>.</summary>
public readonly record struct Result<T> : IResultCarrier, IFailable<Result<T>>
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

    string? IResultCarrier.FailureCode => Error?.Code;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Code}.");

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Fail(Error error) => Failure(error);

    public static Result<T> Failure(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? map(Value) : Error!;
}
