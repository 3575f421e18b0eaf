using BuildHooks.Core.Model;
using BuildHooks.Server.Contracts;

namespace BuildHooks.Server.Web.Hooks;

/// <summary>
/// One delivery as the log shows it: the delivery, its build (if any) and its attempts, oldest first; <paramref name="Open"/>
/// when the reader came for this one (a link from its build, or a webhook-id they looked up), so its details show at once.
/// </summary>
public sealed record DeliveryRow(BuildHooks.Core.Model.Delivery Delivery, Build? Build, IReadOnlyList<AttemptView> Attempts, bool Open = false);
