using BuildHooks.Delivery.Dispatching;

namespace BuildHooks.Delivery.Tests.Dispatching;

public sealed class HookGateTests
{
    [Fact]
    public async Task Attempts_without_an_answer_halve_the_limit_down_to_one_and_answers_add_one_back_each()
    {
        var gate = new HookGates.Gate(8);
        for (var i = 0; i < 8; i++)
        {
            await gate.EnterAsync(CancellationToken.None);
        }

        var expected = new[] { 4, 2, 1, 1 };
        foreach (var limit in expected)
        {
            gate.Exit(answered: false);
            Assert.Equal(limit, gate.Limit);
        }

        gate.Exit(answered: true);
        Assert.Equal(2, gate.Limit);
        gate.Exit(answered: null);
        Assert.Equal(2, gate.Limit);
    }

    [Fact]
    public async Task Waiters_get_a_slot_only_while_the_current_limit_allows_and_a_recovering_receiver_lets_more_through()
    {
        var gate = new HookGates.Gate(4);
        for (var i = 0; i < 4; i++)
        {
            await gate.EnterAsync(CancellationToken.None);
        }

        var waiting = Enumerable.Range(0, 4).Select(_ => gate.EnterAsync(CancellationToken.None)).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        // Two timeouts: the limit falls to 1 while two requests are still out, so nobody may start.
        gate.Exit(answered: false);
        gate.Exit(answered: false);
        Assert.Equal(1, gate.Limit);
        await Task.Delay(50);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        // The receiver answers the two still out: the limit grows to 2, then 3, and three waiters go, in order.
        gate.Exit(answered: true);
        gate.Exit(answered: true);
        await Task.WhenAll(waiting.Take(3)).WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(waiting[3].IsCompleted);
    }

    [Fact]
    public async Task A_waiter_cancelled_before_its_turn_takes_no_slot()
    {
        var gate = new HookGates.Gate(1);
        await gate.EnterAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(stop.Token);
        var next = gate.EnterAsync(CancellationToken.None);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Exit(answered: true);

        await next.WaitAsync(TimeSpan.FromSeconds(5));
        var after = gate.EnterAsync(CancellationToken.None);
        Assert.False(after.IsCompleted);
    }
}
