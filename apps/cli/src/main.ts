/** `smartsession` command dispatcher. Each subcommand module exports `run(argv): Promise<exit code>`. */

const USAGE = `Usage: smartsession <command> [options]

Commands:
  analyze PATH…        analyse images, folders of images or a video; one JSON object per line
  simulate             join synthetic students to a class (--url, --code, --students)
  demo                 start the server with a demo teacher and a simulated class

Run "smartsession <command> --help" for the options of a command.
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  analyze: async () => (await import('./analyze.js')).run,
  simulate: async () => (await import('./simulate.js')).run,
  demo: async () => (await import('./demo.js')).run,
};

/** Runs the command line and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`smartsession: unknown command "${name}"\n\n${USAGE}`);
    return 1;
  }
  return (await load())(rest);
}
