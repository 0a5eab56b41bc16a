using System.Text.Json.Nodes;
using Billing.Sandbox.Stripe;
using Stripe;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The stand-in's subscription schedules behave as Stripe's API reference says: a schedule made from a subscription
/// takes nothing else, one per subscription, the current phase keeps its start, a managed subscription's cancellation
/// belongs to its schedule, release only from not_started or active, and the next phase starts when the period ends.
/// </summary>
public sealed class StripeScheduleBehaviourTests
{
    private StripeStandIn _stripe = null!;
    private StripeClient _client = null!;
    private SubscriptionScheduleService _schedules = null!;
    private string _starterYearly = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stripe = new StripeStandIn();
        await _stripe.StartAsync();
        _client = new StripeClient(apiKey: _stripe.ApiKey, apiBase: _stripe.BaseUrl.AbsoluteUri.TrimEnd('/'), httpClient: new SystemNetHttpClient(maxNetworkRetries: 0));
        _schedules = new SubscriptionScheduleService(_client);
        await new ProductService(_client).CreateAsync(new ProductCreateOptions { Id = "prod_plan", Name = "Plan" });
        await PriceAsync("enterprise_yearly", 99000);
        _starterYearly = (await PriceAsync("starter_yearly", 19000)).Id;
    }

    [TearDown]
    public async Task StopAsync() => await _stripe.DisposeAsync();

    private Task<Price> PriceAsync(string lookupKey, long amount) =>
        new PriceService(_client).CreateAsync(new PriceCreateOptions
        {
            Product = "prod_plan",
            UnitAmount = amount,
            Currency = "usd",
            LookupKey = lookupKey,
            Recurring = new PriceRecurringOptions { Interval = "year" },
        });

    private async Task<(string SubscriptionId, SubscriptionSchedule Schedule)> ScheduledDowngradeAsync()
    {
        var (_, subscriptionId) = _stripe.SeedSubscription("enterprise_yearly", "user-1");
        var schedule = await _schedules.CreateAsync(new SubscriptionScheduleCreateOptions { FromSubscription = subscriptionId });
        var current = schedule.Phases[0];
        schedule = await _schedules.UpdateAsync(schedule.Id, new SubscriptionScheduleUpdateOptions
        {
            EndBehavior = "release",
            Phases =
            [
                new SubscriptionSchedulePhaseOptions { StartDate = current.StartDate, EndDate = current.EndDate, Items = [new SubscriptionSchedulePhaseItemOptions { Price = current.Items[0].PriceId, Quantity = 1 }] },
                new SubscriptionSchedulePhaseOptions
                {
                    Items = [new SubscriptionSchedulePhaseItemOptions { Price = _starterYearly, Quantity = 1 }],
                    Duration = new SubscriptionSchedulePhaseDurationOptions { Interval = "year", IntervalCount = 1 },
                    Metadata = new Dictionary<string, string> { ["billing_tier"] = "starter" },
                    ProrationBehavior = "none",
                },
            ],
        });
        return (subscriptionId, schedule);
    }

    [Test]
    public async Task A_schedule_from_a_subscription_starts_with_the_subscription_as_it_is_and_takes_nothing_else()
    {
        var (_, subscriptionId) = _stripe.SeedSubscription("enterprise_yearly", "user-1");

        var mixed = await Assert.ThrowsAsync<StripeException>(() => _schedules.CreateAsync(new SubscriptionScheduleCreateOptions { FromSubscription = subscriptionId, EndBehavior = "release" }));
        var schedule = await _schedules.CreateAsync(new SubscriptionScheduleCreateOptions { FromSubscription = subscriptionId });

        Assert.That(mixed!.StripeError.Message, Does.Contain("from_subscription"));
        Assert.That(schedule.Status, Is.EqualTo("active"));
        Assert.That(schedule.SubscriptionId, Is.EqualTo(subscriptionId));
        Assert.That(schedule.Phases, Has.Count.EqualTo(1));
        Assert.That(schedule.Phases[0].EndDate, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(_stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>()).UtcDateTime));
        Assert.That(_stripe.Subscription(subscriptionId)!["schedule"]!.GetValue<string>(), Is.EqualTo(schedule.Id));
    }

    [Test]
    public async Task A_subscription_has_at_most_one_schedule()
    {
        var (subscriptionId, _) = await ScheduledDowngradeAsync();

        var second = await Assert.ThrowsAsync<StripeException>(() => _schedules.CreateAsync(new SubscriptionScheduleCreateOptions { FromSubscription = subscriptionId }));

        Assert.That(second!.StripeError.Message, Is.EqualTo($"You cannot migrate a subscription that is already attached to a schedule: `{subscriptionId}`."));
    }

    [Test]
    public async Task The_current_phase_keeps_its_start_and_the_first_phase_must_say_it()
    {
        var (_, schedule) = await ScheduledDowngradeAsync();
        var item = new SubscriptionSchedulePhaseItemOptions { Price = _starterYearly, Quantity = 1 };

        var moved = await Assert.ThrowsAsync<StripeException>(() => _schedules.UpdateAsync(schedule.Id, new SubscriptionScheduleUpdateOptions { Phases = [new SubscriptionSchedulePhaseOptions { StartDate = schedule.Phases[0].StartDate.AddDays(1), Items = [item] }] }));
        var unsaid = await Assert.ThrowsAsync<StripeException>(() => _schedules.UpdateAsync(schedule.Id, new SubscriptionScheduleUpdateOptions { Phases = [new SubscriptionSchedulePhaseOptions { Items = [item] }] }));

        Assert.That(moved!.StripeError.Message, Is.EqualTo("You can not modify the start date of the current phase."));
        Assert.That(unsaid!.StripeError.Message, Is.EqualTo("Missing required param: phases[0][start_date]."));
    }

    [Test]
    public async Task A_managed_subscription_refuses_a_change_of_cancellation_until_its_schedule_is_released()
    {
        var (subscriptionId, schedule) = await ScheduledDowngradeAsync();
        var subscriptions = new SubscriptionService(_client);

        var refused = await Assert.ThrowsAsync<StripeException>(() => subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true }));
        var released = await _schedules.ReleaseAsync(schedule.Id);
        var canceled = await subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true });

        Assert.That(refused!.StripeError.Message, Is.EqualTo($"The subscription is managed by the subscription schedule `{schedule.Id}`, and updating any cancelation behavior directly is not allowed. Please update the schedule instead."));
        Assert.That(released.Status, Is.EqualTo("released"));
        Assert.That(released.ReleasedSubscription, Is.EqualTo(subscriptionId));
        Assert.That(canceled.CancelAtPeriodEnd, Is.True);
        Assert.That(canceled.Items.Data[0].Price.LookupKey, Is.EqualTo("enterprise_yearly"), "released, the subscription stays as it is");
    }

    [Test]
    public async Task A_released_schedule_can_be_neither_released_nor_updated_again()
    {
        var (_, schedule) = await ScheduledDowngradeAsync();
        await _schedules.ReleaseAsync(schedule.Id);

        var again = await Assert.ThrowsAsync<StripeException>(() => _schedules.ReleaseAsync(schedule.Id));
        var update = await Assert.ThrowsAsync<StripeException>(() => _schedules.UpdateAsync(schedule.Id, new SubscriptionScheduleUpdateOptions { EndBehavior = "cancel" }));

        Assert.That(again!.StripeError.Message, Is.EqualTo("You cannot release a subscription schedule that is currently in the `released` status. It must be in one of the following statuses: `not_started`, `active`."));
        Assert.That(update!.StripeError.Message, Does.StartWith("You cannot update a subscription schedule that is currently in the `released` status."));
    }

    [Test]
    public async Task The_next_phase_starts_when_the_period_ends_and_the_schedule_releases_after_the_last()
    {
        var (subscriptionId, schedule) = await ScheduledDowngradeAsync();

        _stripe.RenewNow(subscriptionId);
        var moved = _stripe.Subscription(subscriptionId)!;
        var during = _stripe.Schedule(schedule.Id)!;
        _stripe.RenewNow(subscriptionId);

        Assert.That(moved["items"]!["data"]![0]!["price"]!["lookup_key"]!.GetValue<string>(), Is.EqualTo("starter_yearly"));
        Assert.That(moved["metadata"]!["billing_tier"]!.GetValue<string>(), Is.EqualTo("starter"), "the phase's metadata goes onto the subscription");
        Assert.That(during["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(_stripe.Schedule(schedule.Id)!["status"]!.GetValue<string>(), Is.EqualTo("released"));
        Assert.That(_stripe.Subscription(subscriptionId)!["schedule"], Is.Null);
        Assert.That(_stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["price"]!["lookup_key"]!.GetValue<string>(), Is.EqualTo("starter_yearly"));
    }
}
