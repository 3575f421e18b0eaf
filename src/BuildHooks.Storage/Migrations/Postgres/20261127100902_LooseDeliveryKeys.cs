using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildHooks.Storage.Migrations.Postgres
{
    /// <summary>
    /// The foreign keys from deliveries to hooks and from attempts to deliveries give way to triggers that fire on
    /// deletes only. A foreign key is checked on every insert: a trigger call and a lock on the parent row, which in a
    /// pgbench of the delivery path (insert 40 deliveries, then their attempts and successes) cost 57–64 µs of CPU per
    /// delivery with both keys against 45–50 µs without. Deletes are rare (a hook, a project, retention), so they pay.
    /// <list type="bullet">
    /// <item>A deleted hook takes its deliveries with it, and a deleted delivery its attempts, as the cascades did.</item>
    /// <item>A hook's delete first locks its project. A batch of reports holds its projects' locks from its read of the
    /// hooks to its commit, so either the batch sees the hook gone, or the delete waits and then removes the batch's
    /// deliveries too. The foreign key's row lock did that before.</item>
    /// <item>An attempt's result updates its delivery before it inserts the attempt (PostgresCompletionBatch), so a
    /// delete of that delivery either comes first and the attempt is not written, or waits and removes it. The insert
    /// also locks the delivery as the key did, for a delivery whose lease another node holds, which the update skips.</item>
    /// </list>
    /// </summary>
    public partial class LooseDeliveryKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_attempts_deliveries_delivery_id",
                table: "attempts");

            migrationBuilder.DropForeignKey(
                name: "fk_deliveries_hooks_hook_id",
                table: "deliveries");

            migrationBuilder.Sql("""
                CREATE FUNCTION buildhooks_hooks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1 FROM projects WHERE id IN (SELECT project_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
                    DELETE FROM deliveries WHERE hook_id IN (SELECT id FROM old_rows);
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER hooks_deleted AFTER DELETE ON hooks REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION buildhooks_hooks_deleted();

                CREATE FUNCTION buildhooks_deliveries_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM old_rows);
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER deliveries_deleted AFTER DELETE ON deliveries REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION buildhooks_deliveries_deleted();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER deliveries_deleted ON deliveries;
                DROP FUNCTION buildhooks_deliveries_deleted();
                DROP TRIGGER hooks_deleted ON hooks;
                DROP FUNCTION buildhooks_hooks_deleted();
                """);

            migrationBuilder.AddForeignKey(
                name: "fk_attempts_deliveries_delivery_id",
                table: "attempts",
                column: "delivery_id",
                principalTable: "deliveries",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_deliveries_hooks_hook_id",
                table: "deliveries",
                column: "hook_id",
                principalTable: "hooks",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
