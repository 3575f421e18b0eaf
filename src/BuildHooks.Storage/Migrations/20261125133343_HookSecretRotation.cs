using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildHooks.Storage.Migrations
{
    /// <inheritdoc />
    public partial class HookSecretRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "previous_secret",
                table: "hooks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "previous_secret_expires_at_ms",
                table: "hooks",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "previous_secret",
                table: "hooks");

            migrationBuilder.DropColumn(
                name: "previous_secret_expires_at_ms",
                table: "hooks");
        }
    }
}
