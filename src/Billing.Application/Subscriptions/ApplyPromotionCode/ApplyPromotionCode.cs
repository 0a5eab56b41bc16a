using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Promotions;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.ApplyPromotionCode;

/// <summary>Puts a promotion code's discount on the caller's live subscription, from its next invoice on.</summary>
public sealed record ApplyPromotionCode(string UserId, string? Code, string? RequestKey = null) : ICommand<Result<SubscriptionStatusView>>, ICallsStripeForUser;

public sealed class ApplyPromotionCodeValidator : AbstractValidator<ApplyPromotionCode>
{
    public ApplyPromotionCodeValidator() =>
        RuleFor(x => x.Code)
            .NotEmpty().WithMessage("code is required.")
            .Matches(@"\A[A-Za-z0-9]{3,50}\z").WithMessage("code must be 3 to 50 letters or digits.")
            .OverridePropertyName("code");
}

public sealed class ApplyPromotionCodeHandler(
    IBillingAccountRepository accounts,
    ISubscriptionGateway gateway,
    PromotionCodeCheck promotions,
    SubscriptionChanges changes) : ICommandHandler<ApplyPromotionCode, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(ApplyPromotionCode command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (account is not { HasLiveSubscription: true })
        {
            return Error.NotFound("subscription_not_found", "You have no live subscription to apply a promotion code to; use it at checkout instead.");
        }

        var promotion = await promotions.RedeemableAsync(command.Code!, account.Tier, cancellationToken);
        if (!promotion.IsSuccess)
        {
            return promotion.Error!;
        }

        var applied = await gateway.ApplyPromotionCodeAsync(
            account.StripeSubscriptionId!,
            promotion.Value.Id,
            $"billing-promotion-{command.UserId}-{promotion.Value.Id}-{command.RequestKey ?? Guid.NewGuid().ToString("N")}",
            cancellationToken);
        if (!applied.IsSuccess)
        {
            return applied.Error!;
        }

        return changes.Apply(account, applied.Value);
    }
}
