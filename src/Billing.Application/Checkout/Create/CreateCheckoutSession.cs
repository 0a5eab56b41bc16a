using Billing.Application.Common.Limits;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Billing.Application.Promotions;
using Billing.Application.Organizations;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Checkout.Create;

/// <summary>Starts a Stripe Checkout session in subscription mode for the caller's choice of tier and cycle.</summary>
/// <remarks>
/// <see cref="RequestedAt"/> is when the caller asked (fixed once per HTTP request): the session's expiry is counted
/// from it, so a run again after a concurrent change sends Stripe the very same request under the same key.
/// </remarks>
/// For an organization (<see cref="Organization"/> set, <c>UserId</c> its account key) the subscription bills
/// <see cref="Seats"/> seats as <see cref="SeatPolicy"/> decides, and <c>Email</c> is the manager's, the customer's
/// billing contact.
public sealed record CreateCheckoutSession(string UserId, string Email, string? TierId, string? BillingCycle, string? RequestKey = null, string? PromotionCode = null, string? Currency = null, DateTimeOffset? RequestedAt = null, int? Seats = null, OrganizationCaller? Organization = null, IReadOnlyList<string>? PaymentMethodTypes = null)
    : ICommand<Result<CheckoutSessionView>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed class CreateCheckoutSessionValidator : AbstractValidator<CreateCheckoutSession>
{
    public CreateCheckoutSessionValidator()
    {
        RuleFor(x => x.PromotionCode)
            .Matches(@"\A[A-Za-z0-9]{3,50}\z").WithMessage("promotion_code must be 3 to 50 letters or digits.")
            .When(x => x.PromotionCode is not null)
            .OverridePropertyName(PromotionCodeCheck.Field);
        RuleFor(x => x.Currency)
            .Matches(@"\A[A-Za-z]{3}\z").WithMessage("currency must be a three-letter ISO code such as eur.")
            .When(x => x.Currency is not null)
            .OverridePropertyName("currency");
        RuleFor(x => x.Seats)
            .Null().When(x => x.Organization is null).WithMessage("seats is for an organization's subscription.")
            .GreaterThan(0).When(x => x.Seats is not null).WithMessage("seats must be a positive whole number.")
            .OverridePropertyName("seats");
        RuleFor(x => x.PaymentMethodTypes)
            .Must(types => types!.Count is > 0 and <= 10).WithMessage("payment_method_types must name 1 to 10 ways to pay, or be left out.")
            .When(x => x.PaymentMethodTypes is not null)
            .OverridePropertyName(PaymentMethodChoice.Field);
    }
}

/// <summary>Where the user pays: a Checkout Session, or (for a first payment already under way) its hosted invoice, with no session id.</summary>
public sealed record CheckoutSessionView(string CheckoutUrl, string? SessionId, int? TrialDays = null);

/// <remarks>
/// Stripe lets every open session of a customer be paid, each becoming its own subscription (S3), so a user has
/// at most one open session: the same choice gets that session again, another choice expires it first.
/// </remarks>
public sealed class CreateCheckoutSessionHandler(
    PlanCatalog catalog,
    PaymentCustomers customers,
    PlanPrices prices,
    PromotionCodeCheck promotions,
    ICheckoutGateway gateway,
    SeatPolicy seatPolicy,
    TimeProvider clock,
    IOptions<BillingOptions> options) : ICommandHandler<CreateCheckoutSession, Result<CheckoutSessionView>>
{
    public async ValueTask<Result<CheckoutSessionView>> Handle(CreateCheckoutSession command, CancellationToken cancellationToken)
    {
        var choice = catalog.Choose(command.TierId, command.BillingCycle, "tier_id");
        if (!choice.IsSuccess)
        {
            return choice.Error!;
        }

        var (tier, cycle) = (choice.Value.Tier, choice.Value.Cycle);
        string? asked = null;
        if (command.Currency is not null)
        {
            var known = catalog.ChooseCurrency(command.Currency);
            if (!known.IsSuccess)
            {
                return known.Error!;
            }

            asked = known.Value;
            if (catalog.Find(tier, cycle)!.AmountIn(asked) is null)
            {
                return CurrencyNotOffered(choice.Value, asked);
            }
        }

        var seats = 1;
        if (command.Organization is { } organization)
        {
            var decided = await seatPolicy.DecideAsync(organization.OrganizationId, tier, command.Seats, cancellationToken);
            if (!decided.IsSuccess)
            {
                return decided.Error!;
            }

            seats = decided.Value.Seats;
        }

        // Checked before anything is made in Stripe (customer, session): a bad code changes nothing.
        string? promotionCodeId = null;
        if (command.PromotionCode is { } code)
        {
            var promotion = await promotions.RedeemableAsync(code, tier, cancellationToken);
            if (!promotion.IsSuccess)
            {
                return promotion.Error!;
            }

            promotionCodeId = promotion.Value.Id;
        }

        // Stripe bills a customer's subscriptions in one currency: a customer keeps the one they first paid in. The
        // currency and the ways to pay are checked before a Stripe customer is made: a refusal changes nothing.
        var methods = options.Value.Checkout.Methods;
        Error? Refusal(BillingAccount held)
        {
            var billed = held.BillingCurrency ?? asked ?? catalog.Currency;
            return asked is not null && asked != billed
                ? Error.Conflict("currency_fixed", $"Your account is billed in {billed.ToUpperInvariant()}; a subscription of yours cannot be paid in {asked.ToUpperInvariant()}. Leave currency out, or send {billed}.")
                : catalog.Find(tier, cycle)!.AmountIn(billed) is null ? CurrencyNotOffered(choice.Value, billed)
                : PaymentMethodChoice.For(command.PaymentMethodTypes, methods, billed) is { IsSuccess: false } refused ? refused.Error
                : null;
        }

        var account = await customers.EnsureAsync(command.UserId, command.Email, Refusal, cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error!;
        }

        var currency = account.Value.BillingCurrency ?? asked ?? catalog.Currency;
        methods = PaymentMethodChoice.For(command.PaymentMethodTypes, methods, currency).Value!;

        var now = clock.GetUtcNow();
        if (account.Value.Status == SubscriptionStatus.Incomplete && PendingFirstPayment(account.Value, now) is { } pending)
        {
            return pending;
        }

        if (account.Value.HasLiveSubscription)
        {
            return Error.Conflict(
                "subscription_exists",
                "You already have a subscription. Change its tier with POST /api/v1/billing/subscription/upgrade, or manage it in the customer portal (POST /api/v1/billing/portal/create).");
        }

        if (account.Value.OpenCheckout is { } open)
        {
            if (open.IsFor(tier, cycle) && open.IsUsable(now) && promotionCodeId is null && command.Organization is null)
            {
                return new CheckoutSessionView(open.Url, open.SessionId);
            }

            var expired = await gateway.ExpireCheckoutSessionAsync(open.SessionId, cancellationToken);
            if (!expired.IsSuccess)
            {
                return expired.Error!;
            }

            if (!expired.Value && open.ExpiresAt > now)
            {
                // It was paid a moment ago: its subscription is on its way through the webhook.
                return Error.Conflict("checkout_completed", "Your previous checkout was just completed; its subscription appears in a moment. Change its tier with POST /api/v1/billing/subscription/upgrade.");
            }

            account.Value.ForgetCheckout(open.SessionId);
        }

        var price = await prices.FindAsync(choice.Value, currency, cancellationToken);
        if (!price.IsSuccess)
        {
            return price.Error!;
        }

        var settings = options.Value;

        // A free trial is given once per user, whatever tier it was on.
        var trialDays = catalog.FindTier(tier)?.TrialDays is > 0 and var days && !account.Value.FreeTrialUsed ? days : (int?)null;
        var session = await gateway.CreateCheckoutSessionAsync(
            new NewCheckoutSession(
                account.Value.StripeCustomerId!,
                command.UserId,
                price.Value.Id,
                tier,
                cycle,
                Urls.WithQuery(settings.SuccessUrl, "session_id={CHECKOUT_SESSION_ID}"),
                settings.CancelUrl,
                (command.RequestedAt ?? now) + settings.CheckoutSessionLifetime,
                $"billing-checkout-{command.UserId}-{command.RequestKey ?? Guid.NewGuid().ToString("N")}",
                trialDays,
                !settings.Trials.RequireCard,
                promotionCodeId,
                settings.Checkout.AllowPromotionCodes,
                currency,
                settings.Tax.Automatic,
                seats,
                methods),
            cancellationToken);
        if (!session.IsSuccess)
        {
            return session.Error!;
        }

        account.Value.RecordOpenCheckout(new OpenCheckout(session.Value.SessionId, tier, cycle, session.Value.Url, session.Value.ExpiresAt));
        return new CheckoutSessionView(session.Value.Url, session.Value.SessionId, trialDays);
    }

    private static Error CurrencyNotOffered(PlanChoice choice, string currency) =>
        Error.Invalid("currency", "currency_not_offered", $"The {choice.Tier.Code()} tier has no {choice.Cycle.Code()} price in {currency.ToUpperInvariant()}.");

    /// <summary>
    /// A first payment awaiting the customer (3-D Secure, say) is finished where it started: the open session,
    /// else the invoice's hosted page. A second session would only add a second subscription to pay.
    /// </summary>
    private static CheckoutSessionView? PendingFirstPayment(BillingAccount account, DateTimeOffset now) =>
        account.OpenCheckout is { } open && open.IsUsable(now) ? new CheckoutSessionView(open.Url, open.SessionId)
        : account.OpenInvoice?.HostedUrl is { } invoiceUrl ? new CheckoutSessionView(invoiceUrl, null)
        : null;
}
