namespace Billing.Application.Common.Results;

/// <summary>A response a pipeline behaviour can answer with a failure of its own, without knowing its value type.</summary>
public interface IFailable<TSelf>
    where TSelf : IFailable<TSelf>
{
    static abstract TSelf Fail(Error error);
}
