from olshop_cli.cli import main

main()
