from diffcheck.cli import main

main()
