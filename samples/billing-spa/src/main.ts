// The sample billing page: pricing from GET /plans, Stripe Checkout, the account page (status and its action,
// cards, invoices, cancel, resume, a tier change with its preview, a card update), and the caller's teams (a manager
// subscribes a team and sets its seats). Every call goes through the typed
// client generated from the service's OpenAPI document (src/api.d.ts, `npm run generate`).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./api";
import { accessToken, completeSignIn, signIn, signOut, userEmail, type AuthConfig } from "./auth";

type Problem = components["schemas"]["Problem"];
type Status = components["schemas"]["SubscriptionStatusView"];
type Tier = components["schemas"]["CheckoutRequest"]["tier_id"];
type Cycle = components["schemas"]["CheckoutRequest"]["billing_cycle"];
type Team = components["schemas"]["OrganizationView"];

interface PageConfig extends AuthConfig {
  apiBase: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const money = (minor: number | null | undefined, currency: string | null | undefined) =>
  minor == null ? "" : new Intl.NumberFormat("en", { style: "currency", currency: (currency ?? "usd").toUpperCase() }).format(minor / 100);

function show(message: string): void {
  $("message").textContent = message;
}

function fail(problem: Problem | undefined, fallback: string): void {
  const error = $("error");
  error.hidden = false;
  error.textContent = problem ? `${problem.detail ?? problem.title} (${problem.code})` : fallback;
}

const config = (await (await fetch("/config.json")).json()) as PageConfig;
const auth: Middleware = {
  onRequest({ request }) {
    const token = accessToken();
    if (token) {
      request.headers.set("Authorization", `Bearer ${token}`);
    }

    if (request.method === "POST") {
      // A retry of the same click (a double click, a flaky network) is answered once.
      request.headers.set("Idempotency-Key", crypto.randomUUID());
    }

    return request;
  },
};
const api = createClient<paths>({ baseUrl: config.apiBase });
api.use(auth);

async function renderPricing(current: Status | null): Promise<void> {
  const { data, error } = await api.GET("/api/v1/billing/plans");
  if (!data) {
    return fail(error as Problem, "The plans could not be loaded.");
  }

  const live = current && ["active", "trialing", "past_due"].includes(current.status);
  $("pricing").hidden = !!live;
  const plans = $("plans");
  plans.replaceChildren(...data.plans.map(plan => {
    const card = document.createElement("div");
    card.className = "plan";
    card.dataset.tier = plan.tier_id;
    card.innerHTML = `<h3></h3><p class="description"></p>`;
    card.querySelector("h3")!.textContent = plan.name;
    card.querySelector(".description")!.textContent = plan.trial_days ? `${plan.description ?? ""} ${plan.trial_days}-day free trial.` : plan.description ?? "";
    for (const price of plan.prices) {
      const button = document.createElement("button");
      button.textContent = `${money(price.unit_amount, price.currency)} / ${price.billing_cycle === "monthly" ? "month" : "year"}`;
      button.dataset.cycle = price.billing_cycle;
      button.addEventListener("click", () => checkout(plan.tier_id as Tier, price.billing_cycle as Cycle));
      card.append(button);
    }

    return card;
  }));
}

async function checkout(tier: Tier, cycle: Cycle): Promise<void> {
  if (!accessToken()) {
    return signIn(config);
  }

  const { data, error } = await api.POST("/api/v1/billing/checkout/create", { body: { tier_id: tier, billing_cycle: cycle } });
  if (!data) {
    return fail(error as Problem, "Checkout could not start.");
  }

  location.assign(data.checkout_url);
}

async function renderAccount(): Promise<Status | null> {
  const { data: status } = await api.GET("/api/v1/billing/subscription-status");
  if (!status) {
    return null;
  }

  $("account").hidden = status.status === "none";
  $("tier").textContent = status.tier_id;
  $("status").textContent = status.status;
  $("period").textContent = status.current_period_end
    ? `${status.cancel_at_period_end ? ", ends" : ", renews"} ${new Date(status.current_period_end).toLocaleDateString("en")}`
    : "";
  const action = $("action");
  action.hidden = !status.action;
  if (status.action) {
    action.innerHTML = `Your payment needs you: <a id="action-link">${status.action.kind === "authenticate_payment" ? "confirm it with your bank" : "pay the open invoice"}</a>`;
    (action.querySelector("a") as HTMLAnchorElement).href = status.action.url;
  } else if (status.status === "pending_payment") {
    // A bank debit takes days: nothing to do but wait for the bank.
    action.hidden = false;
    action.textContent = "Your bank payment is on its way: the plan starts when your bank confirms it, usually within a few days.";
  }

  const scheduled = $("scheduled");
  scheduled.hidden = !status.scheduled_change;
  if (status.scheduled_change) {
    $("scheduled-text").textContent = `Changes to ${status.scheduled_change.tier_id} (${status.scheduled_change.billing_cycle}) on ${new Date(status.scheduled_change.effective_at).toLocaleDateString("en")}.`;
  }

  $("cancel").hidden = status.cancel_at_period_end || !["active", "trialing", "past_due"].includes(status.status);
  $("resume").hidden = !status.cancel_at_period_end && status.status !== "paused";
  const tiers = $<HTMLSelectElement>("change-tier");
  if (tiers.options.length === 0) {
    for (const tier of ["starter", "professional", "enterprise"]) {
      tiers.append(new Option(tier, tier));
    }
  }

  const [{ data: cards }, { data: invoices }] = await Promise.all([api.GET("/api/v1/billing/payment-methods"), api.GET("/api/v1/billing/invoices")]);
  $("cards").replaceChildren(...(cards?.payment_methods ?? []).map(card => {
    const item = document.createElement("li");
    const expiry = card.exp_month ? `, ${card.exp_month}/${card.exp_year}` : " (bank account)";
    item.textContent = `${card.type === "card" ? card.brand : card.type.replace("_", " ").toUpperCase()} •••• ${card.last4}${expiry}${card.is_default ? " (default)" : ""}`;
    return item;
  }));
  $("invoices").querySelector("tbody")!.replaceChildren(...(invoices?.data ?? []).map(invoice => {
    const row = document.createElement("tr");
    row.innerHTML = "<td></td><td></td><td></td><td><a>View</a></td>";
    row.cells[0].textContent = invoice.number ?? invoice.id;
    row.cells[1].textContent = invoice.status;
    row.cells[2].textContent = money(invoice.total, invoice.currency);
    const link = row.querySelector("a")!;
    if (invoice.hosted_invoice_url) {
      link.href = invoice.hosted_invoice_url;
    } else {
      link.remove();
    }

    return row;
  }));
  return status;
}

/** The caller's teams: each one's plan and seats; a manager subscribes a team (for its member count) or sets its seats. */
async function renderTeams(): Promise<void> {
  const { data: teams } = await api.GET("/api/v1/billing/organizations");
  $("teams").hidden = !teams || teams.length === 0;
  $("team-list").replaceChildren(...(teams ?? []).map(team => {
    const card = document.createElement("div");
    card.className = "team";
    card.dataset.organization = team.organization_id;
    const live = ["active", "trialing", "past_due"].includes(team.status);
    card.innerHTML = "<h3></h3><p class=\"team-status\"></p>";
    card.querySelector("h3")!.textContent = team.name;
    card.querySelector(".team-status")!.textContent = live ? `${team.tier_id}, ${team.status}, ${team.seats} seats` : "No team subscription yet.";
    if (team.can_manage && !live) {
      for (const tier of ["starter", "professional", "enterprise"] as Tier[]) {
        const button = document.createElement("button");
        button.textContent = `Subscribe the team to ${tier}`;
        button.dataset.tier = tier;
        button.addEventListener("click", () => subscribeTeam(team, tier));
        card.append(button);
      }
    } else if (team.can_manage) {
      const seats = document.createElement("input");
      seats.type = "number";
      seats.min = "1";
      seats.value = String(team.seats ?? 1);
      const set = document.createElement("button");
      set.textContent = "Set seats";
      set.addEventListener("click", () => act(
        () => api.PUT("/api/v1/billing/organizations/{organization_id}/seats", { params: { path: { organization_id: team.organization_id } }, body: { seats: Number(seats.value) } }),
        `${team.name} now has ${seats.value} seats.`));
      card.append(seats, set);
    }

    return card;
  }));
}

async function subscribeTeam(team: Team, tier: Tier): Promise<void> {
  $("error").hidden = true;
  const { data, error } = await api.POST("/api/v1/billing/organizations/{organization_id}/checkout/create", {
    params: { path: { organization_id: team.organization_id } },
    body: { tier_id: tier, billing_cycle: "monthly" },
  });
  if (!data) {
    return fail(error as Problem, "The team's checkout could not start.");
  }

  location.assign(data.checkout_url);
}

async function refresh(): Promise<void> {
  const status = accessToken() ? await renderAccount() : null;
  if (accessToken()) {
    await renderTeams();
  }

  await renderPricing(status);
}

/** Back from Stripe Checkout: the webhook makes the subscription live in a moment; show it when it has. */
async function waitForSubscription(): Promise<void> {
  show("Payment received; activating your subscription…");
  for (let i = 0; i < 40; i++) {
    const { data } = await api.GET("/api/v1/billing/subscription-status");
    if (data && ["active", "trialing"].includes(data.status)) {
      show(`Your ${data.tier_id} subscription is ${data.status}.`);
      return;
    }

    if (data?.status === "pending_payment") {
      show(`Your ${data.tier_id} subscription starts when your bank confirms the debit, usually within a few days.`);
      return;
    }

    await new Promise(resolve => setTimeout(resolve, 500));
  }

  show("Your payment is still being confirmed; this page updates when you reload it.");
}

async function act(call: () => Promise<{ error?: unknown; data?: unknown }>, done: string): Promise<void> {
  $("error").hidden = true;
  const { data, error } = await call();
  if (!data) {
    return fail(error as Problem, "That did not work.");
  }

  show(done);
  await refresh();
}

$("sign-in").addEventListener("click", () => signIn(config));
$("sign-out").addEventListener("click", signOut);
$("cancel").addEventListener("click", () => act(() => api.POST("/api/v1/billing/subscription/cancel", { body: { at_period_end: true } }), "Your subscription ends at the end of the period."));
$("resume").addEventListener("click", () => act(() => api.POST("/api/v1/billing/subscription/resume"), "Your subscription goes on."));
$("portal").addEventListener("click", async () => {
  const { data, error } = await api.POST("/api/v1/billing/portal/create");
  return data ? location.assign(data.portal_url) : fail(error as Problem, "The portal could not open.");
});
$("update-card").addEventListener("click", async () => {
  const { data, error } = await api.POST("/api/v1/billing/payment-methods/update");
  return data ? location.assign(data.url) : fail(error as Problem, "The card update could not start.");
});
const change = () => ({ new_tier_id: $<HTMLSelectElement>("change-tier").value as Tier, billing_cycle: $<HTMLSelectElement>("change-cycle").value as Cycle });
$("preview").addEventListener("click", async () => {
  $("error").hidden = true;
  const { data, error } = await api.POST("/api/v1/billing/subscription/upgrade/preview", { body: change() });
  if (!data) {
    return fail(error as Problem, "The change could not be previewed.");
  }

  $("preview-result").textContent = data.scheduled && data.effective_at
    ? `Nothing is due now; the change takes effect on ${new Date(data.effective_at).toLocaleDateString("en")}, when your period ends.`
    : `Due now: ${money(data.amount_due, data.currency)}; then ${money(data.total, data.currency)} per period.`;
  $("confirm-change").hidden = false;
});
$("confirm-change").addEventListener("click", () => {
  $("confirm-change").hidden = true;
  $("preview-result").textContent = "";
  return act(() => api.POST("/api/v1/billing/subscription/upgrade", { body: change() }), "Your plan change is made, or scheduled for the end of your period.");
});
$("keep-plan").addEventListener("click", () => act(() => api.DELETE("/api/v1/billing/subscription/scheduled-change"), "You keep your plan."));

await completeSignIn(config);
const email = userEmail();
$("who").textContent = email ?? "";
$("sign-in").hidden = !!email;
$("sign-out").hidden = !email;
await refresh();
const params = new URLSearchParams(location.search);
if (params.get("checkout") === "success" && email) {
  await waitForSubscription();
  await refresh();
} else if (params.get("checkout") === "canceled") {
  show("Checkout was canceled; nothing was charged.");
}
