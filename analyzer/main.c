/*
 * main.c - argv to cli_main(); the only file that calls exit().
 */
#include <stdlib.h>

#include "cli/cli.h"

int
main(int argc, char **argv)
{
	exit(cli_main(argc, argv));
}
