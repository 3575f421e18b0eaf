using BuildHooks.Core.Model;
using BuildHooks.Server.Contracts;

namespace BuildHooks.Server.Web.Hooks;

/// <summary>One delivery as the log shows it: the delivery, its build (if any) and its attempts, oldest first.</summary>
public sealed record DeliveryRow(BuildHooks.Core.Model.Delivery Delivery, Build? Build, IReadOnlyList<AttemptView> Attempts);
