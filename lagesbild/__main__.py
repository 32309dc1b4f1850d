from lagesbild.cli import main

main()
